"""Pydantic models: the shape of seed files and of what the repositories return."""
