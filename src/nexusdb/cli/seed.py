"""`nexusdb seed`: load seeds/ into the database."""
