"""Every ```sql block in docs/ runs as written against the seeded database, and when a
markdown table follows it, the query returns exactly that table."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

DOCS = Path(__file__).resolve().parents[1] / "docs"
SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```\n", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    where: str
    sql: str
    table: list[list[str]] | None  # header first, then rows; None when no table follows


def render_cell(value: object) -> str:
    """How a result value is written in the docs' tables."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(render_cell(item) for item in value)
    return str(value).replace("|", "\\|")


def split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [cell.strip() for cell in cells]


def examples(path: Path) -> list[Example]:
    content = path.read_text()
    found = []
    for match in SQL_BLOCK.finditer(content):
        line = content.count("\n", 0, match.start()) + 1
        following = content[match.end() :].lstrip("\n").splitlines()
        table_lines = []
        for row in following:
            if not row.startswith("|"):
                break
            table_lines.append(row)
        table = None
        if table_lines:
            header, _separator, *body = table_lines
            table = [split_row(header), *(split_row(row) for row in body)]
        found.append(Example(f"{path.name}:{line}", match.group(1), table))
    return found


ALL_EXAMPLES = [example for path in sorted(DOCS.glob("*.md")) for example in examples(path)]


def run(engine: Engine, sql: str) -> list[list[str]]:
    """Run `sql` as psql would (no parameter parsing), then roll back."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        assert cursor.description is not None, "a documented query returns rows"
        table = [[column.name for column in cursor.description]]
        table += [[render_cell(value) for value in row] for row in cursor.fetchall()]
    finally:
        connection.rollback()
        connection.close()
    return table


def test_the_cookbook_answers_enough_questions() -> None:
    cookbook = [example for example in ALL_EXAMPLES if example.where.startswith("queries.md")]
    assert len([example for example in cookbook if example.table is not None]) >= 15


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=[example.where for example in ALL_EXAMPLES])
def test_documented_sql_runs_and_returns_its_table(seeded_engine: Engine, example: Example) -> None:
    found = run(seeded_engine, example.sql)
    if example.table is not None:
        assert found == example.table
