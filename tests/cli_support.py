"""Helpers for the CLI tests: run nexusdb as a user would, and read the database back."""

import psycopg
import typer
from typer.core import TyperGroup as Group
from typer.testing import CliRunner, Result

from nexusdb.cli import app

runner = CliRunner()


def commands() -> dict[str, typer.core.TyperCommand]:
    """Every command and subcommand, by the words a user types ("db upgrade")."""
    root = typer.main.get_command(app)
    assert isinstance(root, Group)
    found = {}
    for name, command in sorted(root.commands.items()):
        if isinstance(command, Group):
            found |= {f"{name} {sub}": command.commands[sub] for sub in sorted(command.commands)}
        else:
            found[name] = command
    return found


def command_paths() -> list[list[str]]:
    return [path.split() for path in commands()]


def invoke(*arguments: str) -> Result:
    return runner.invoke(app, list(arguments))


def scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query.encode()).fetchone()
    assert row is not None
    return row[0]


def error_line(result: Result) -> str:
    """The one line a refused command prints: exit 1, `Error: ...`, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]
