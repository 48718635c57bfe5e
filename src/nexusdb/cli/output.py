"""Where output goes: data on stdout, messages and progress on stderr."""

from typing import NoReturn

import typer
from rich.console import Console

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def fail(message: str, *, code: int = 1) -> NoReturn:
    """One line, no traceback: `Error: ...` on stderr and a non-zero exit."""
    stderr.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def info(message: str) -> None:
    stderr.print(message, highlight=False)
