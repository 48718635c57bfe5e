"""The read-only role `nexus_reader`, created by a command because migrations never create roles.

Roles belong to the whole server, not one database, and managed services often refuse
CREATE ROLE; so this is idempotent, and a refusal is one clear line.
"""

from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from nexusdb.errors import NexusError

READER_ROLE = "nexus_reader"

# LOGIN, so `nexusdb sql` can open a session as the reader when nexusdb itself connects as
# a superuser: a superuser's session could switch back out of a role it SET (set_config).
# It has no password; where the server asks for one it cannot log in, and nothing else
# changes.
CREATE_READER = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        CREATE ROLE {READER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    ELSIF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        AND NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        ALTER ROLE {READER_ROLE} LOGIN;
    END IF;
END
$$
"""

# What the research surface needs: read every table and view, run the query functions.
GRANTS = (
    f"GRANT USAGE ON SCHEMA public TO {READER_ROLE}",
    f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE}",
    f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {READER_ROLE}",
)


def create_reader_role(engine: Engine) -> None:
    """Create `nexus_reader` if missing and grant it read access to this database."""
    try:
        with engine.begin() as connection:
            connection.execute(text(CREATE_READER))
            for grant in GRANTS:
                connection.execute(text(grant))
    except ProgrammingError as error:
        reason = str(error.orig).strip().splitlines()[0]
        raise NexusError(f"cannot create the role {READER_ROLE}: {reason}") from error
