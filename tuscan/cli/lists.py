"""`tuscan lists import` and `tuscan lists show`: KL's lists as data the municipality updates."""

from __future__ import annotations

import click

from tuscan.cli import main
from tuscan.cli.options import db_option, wait_option


@main.group("lists")
def lists_group() -> None:
    """KL's lists of shared, common public and KITOS 20+ systems: import a newer version, see versions.

    \b
    Example:
        tuscan lists import "TU-løsninger 2027.xlsx" --list shared --source "KL, januar 2027"
        tuscan lists show
    """


@lists_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--list", "choice", required=True, type=click.Choice(["shared", "common_public", "kitos20"]),
              help="Which list the file is a new version of: shared TU-solutions (Delrapport 1, Bilag 3),"
                   " common public solutions (Delrapport 2, Bilag 1) or KITOS systems 20+ municipalities use"
                   " (Delrapport 1, Bilag 4).")
@click.option("--source", default=None, metavar="TEXT", help="Where the file came from (kept with the version).")
@db_option
@wait_option
def import_command(file: str, choice: str, source: str | None, db: str, wait: float) -> None:
    """Import a list KL publishes as a new version of one list, then re-classify the inventory.

    Reads Excel (.xlsx) or CSV (as Excel saves it, ";" or "," separated), or the output of
    `tuscan aggregate` (.xlsx, .csv or .parquet; only rows whose suggested category is the list's,
    and for kitos20 only systems 20 or more municipalities use). The system names are read from the
    column headed "System", "Løsning", "Navn" or similar, found in the first rows of the sheet;
    a "Leverandør" column gives the vendor. The file's name, sha256, the date, --source and the row
    count are stored with the version. From then on classification uses the newest imported
    version of that list instead of the one bundled with tuscan. Prints the systems whose category
    changed.

    \b
    Example:
        tuscan lists import fællesoffentlige.csv --list common_public --source "kl.dk, 2027-01-15"
        tuscan lists import kl-liste.xlsx --list shared --db inventory.duckdb
    """
    from tuscan import steps

    steps.run_steps(steps.lists_import(file, choice, db, source=source, wait=wait), echo=click.echo)


@lists_group.command("show")
@db_option
@wait_option
def show_command(db: str, wait: float) -> None:
    """Show each list's version in use (bundled, or imported with its provenance) and earlier versions.

    \b
    Example:
        tuscan lists show --db inventory.duckdb
    """
    from tuscan import db as database
    from tuscan.lists import describe_versions

    with database.reading(db, wait=wait) as con:
        click.echo(describe_versions(con))
