"""Options shared by several commands, defined once so they behave the same everywhere."""

from __future__ import annotations

import click

from tuscan.db import DEFAULT_DB

db_option = click.option(
    "--db",
    "db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The inventory database file.",
)

wait_option = click.option(
    "--wait",
    default=0.0,
    show_default=True,
    type=float,
    metavar="SECONDS",
    help="Wait this long for another tuscan process writing the database to finish.",
)

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
