"""Derived ids: the same seed gives the same ids on every database, so links and exports agree."""

import uuid

NAMESPACE = uuid.UUID("6f1c8e1e-3b7a-5c43-9d0e-6e65787573db")


def derived_id(table: str, *natural_key: object) -> uuid.UUID:
    """uuid5 of the table and the row's natural key (its slug, or its parent's and its own)."""
    return uuid.uuid5(NAMESPACE, "/".join([table, *(str(part) for part in natural_key)]))
