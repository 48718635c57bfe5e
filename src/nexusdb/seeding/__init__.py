"""Loading `seeds/` into the database: read, validate everything, then sync in one transaction."""
