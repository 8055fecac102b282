"""`tuscan kitos import` and `tuscan kitos fetch`: KITOS exports and the KITOS API v2.

Both call the plain functions in `tuscan.kitos.load` directly (no Prefect start-up: an import takes
a second); the same steps run as Prefect flows in flows/kitos.py for deployments.
"""

from __future__ import annotations

import click

from tuscan.cli import main
from tuscan.cli.options import db_option, wait_option
from tuscan.steps import run_steps


@main.group()
def kitos() -> None:
    """Import what KITOS knows about the municipality's IT systems.

    \b
    Example:
        tuscan kitos import "IT Systemer Overblik.xlsx" "IT Systemkatalog Overblik.xlsx"
        tuscan kitos fetch --url https://kitos.dk --cvr 29189129
    """


@kitos.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
@wait_option
@click.option("--force", is_flag=True,
              help="Read exports again even when the same content was imported before (e.g. after upgrading tuscan).")
def import_command(files: tuple[str, ...], db: str, wait: float, force: bool) -> None:
    """Import KITOS exports (xlsx, or CSV saved from Excel) and re-classify the inventory.

    Reads the web UI's "IT Systemer Overblik" (systems in use), "IT Systemkatalog Overblik"
    (catalog: how many organisations use each system) and "IT Kontrakter Overblik" (contracts:
    vendors), with all columns or only the shown ones, from the current or the pre-2025 KITOS. The
    kind is detected from the headers, not the file name. An export is recognised by its content:
    the same file again, also under another name ("kitos (1).xlsx"), is reported as already
    imported (naming the earlier file and when) and stores nothing. A changed export replaces the
    exports of the same kind imported by earlier commands (the newest is the truth); exports given
    in one command add up. Prints, per file, the kind, the rows imported and the rows skipped (and
    why), and what it replaced.
    Files that are not KITOS exports are listed and the command exits 1 after importing the others.
    Runs without Prefect; the flow `kitos-import` (flows/kitos.py) does the same for deployments.

    \b
    Example:
        tuscan kitos import "IT Systemer Overblik.xlsx" "IT Systemkatalog Overblik" kontrakter.csv
    """
    from tuscan import steps
    from tuscan.kitos.load import KitosImportFailed

    summary = run_steps(steps.kitos_import(list(files), db, wait=wait, force=force),
                        echo=click.echo)["import-kitos-exports"]
    if summary.failed:
        raise KitosImportFailed(f"{len(summary.failed)} of {len(summary.files)} files were not imported "
                                "(see above)")


@kitos.command("fetch")
@click.option("--url", required=True, help="The KITOS server, e.g. https://kitos.dk.")
@click.option("--cvr", required=True, help="The municipality's CVR number.")
@db_option
@wait_option
@click.option("--timeout", type=float, default=30.0, show_default=True, metavar="SECONDS",
              help="Timeout of each request.")
@click.option("--page-size", type=click.IntRange(1, 250), default=100, show_default=True,
              help="Rows per API page: 1–250 on current KITOS, 1–100 on older releases.")
def fetch_command(url: str, cvr: str, db: str, wait: float, timeout: float, page_size: int) -> None:
    """Fetch the municipality's systems in use from the KITOS API v2 and re-classify the inventory.

    Signs in with the API user's e-mail and password from the environment variables KITOS_EMAIL and
    KITOS_PASSWORD (never stored in the database or logged), finds the organisation by CVR, and reads
    its systems in use with their catalog entries (rights holder, using organisations). Busy (429)
    and failing (5xx) answers are retried with backoff; refused credentials (401/403) are an error.
    Fetching again replaces the previous fetch of the same URL and CVR. Runs without Prefect; the
    flow `kitos-fetch` (flows/kitos.py) does the same for deployments.

    \b
    Example:
        export KITOS_EMAIL=api-bruger@korsbaek.dk KITOS_PASSWORD=…
        tuscan kitos fetch --url https://kitos.dk --cvr 29189129
    """
    from tuscan import steps

    run_steps(steps.kitos_fetch(url, cvr, db, wait=wait, timeout=timeout, page_size=page_size), echo=click.echo)
