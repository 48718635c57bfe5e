"""Bulk import of event datasets (ACLED, UCDP GED, PLOVER) into the grounded schema.

One module per job: `reading` streams a file's records and says which are bad,
`acled`/`ucdp`/`plover` turn one record into the rows it stands for, `staging` COPYs
them into temporary tables, `resolve` finds or creates actors and places set-based,
`load` moves the staged rows into the final tables (and applies deletions), and `run`
ties them together in one transaction.
"""
