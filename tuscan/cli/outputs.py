"""`tuscan query`, `tuscan report`, `tuscan share`, `tuscan aggregate`, `tuscan run`: what DPOs and KL
get out of the inventory. Only `run` may start Prefect (and only without --no-prefect)."""

from __future__ import annotations

import click

from tuscan import db as database
from tuscan.cli import main
from tuscan.cli.options import db_option, format_option, wait_option
from tuscan.cli.tracking import prefect_option


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r}: write NAME=VALUE", param_hint="--param")
        params[name.strip()] = text
    return params


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the canned queries and what they are for.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@format_option
@db_option
@wait_option
def query(name: str | None, list_only: bool, params: tuple[str, ...], fmt: str, db: str, wait: float) -> None:
    """Run a canned DPO query on the inventory (see --list), or list them.

    The queries are SQL files (sql/queries/); their header says what each column means. To write
    your own, open the database with `duckdb inventory.duckdb` and use the views inventory,
    evidence and document_findings (docs/outputs.md).

    \b
    Example:
        tuscan query --list
        tuscan query own_needing_risk_assessment --format csv > risikovurdering.csv
        tuscan query system_evidence --param system="Korsbæk Parkering"
    """
    from tuscan.queries import format_rows, list_queries, load_query, run_query

    if list_only or not name:
        for q in list_queries():
            takes = "".join(f" --param {p.name}=…" + ("" if p.required else f" (default {p.default})")
                            for p in q.params)
            click.echo(f"{q.name}{takes}\n    {q.title}")
        return
    load_query(name)   # an unknown name fails before the database is opened
    with database.reading(db, wait=wait) as con:
        columns, rows = run_query(con, name, _params(params))
    click.echo(format_rows(columns, rows, fmt))


@main.command()
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None, help="Write the HTML report here.")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), default=None, help="Write the Excel workbook here.")
@click.option("--title", default="TU-løsninger", show_default=True, help="The report's heading.")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of the reasons and evidence (the rest of the report is Danish).")
@db_option
@wait_option
def report(html: str | None, xlsx: str | None, title: str, db: str, wait: float, lang: str) -> None:
    """Write the DPO report: a self-contained HTML page and/or an Excel workbook.

    With neither option, writes tuscan-report.html and tuscan-report.xlsx in the working directory.

    \b
    Example:
        tuscan report --html rapport.html --xlsx rapport.xlsx --title "Korsbæk Kommune: TU-løsninger"
        tuscan report --html report-en.html --lang en
    """
    from tuscan.report import write_report

    for path in write_report(db, html=html, xlsx=xlsx, title=title, wait=wait, lang=lang):
        click.echo(f"Wrote {path}")


@main.command()
@click.option("--municipality", required=True, help="The municipality's name, e.g. 'Korsbæk Kommune'.")
@click.option("--code", required=True, metavar="NNN", help="The three-digit kommunenummer, e.g. 101.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The Parquet file to write.")
@db_option
@wait_option
def share(municipality: str, code: str, out: str, db: str, wait: float) -> None:
    """Write the privacy-safe file a municipality sends KL.

    Systems, vendors, categories, levels, flags, matched KL list names and source kinds; no paths,
    no snippets, no personal data.

    \b
    Example:
        tuscan share --municipality "Korsbæk Kommune" --code 999 --out korsbaek.parquet
    """
    from tuscan.share import export_share

    count = export_share(db, municipality, code, out, wait=wait)
    click.echo(f"Wrote {out}: {count} systems from {municipality} ({code})")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The cross-municipal list: .xlsx, .parquet or .csv.")
def aggregate(files: tuple[str, ...], out: str) -> None:
    """KL: combine municipalities' share files into one list with counts and inconsistencies.

    The same system is recognised across spellings (the KL-list matching's rules); each system gets
    the number of municipalities, the category votes, and flags for "own" solutions found in several
    municipalities, common public solutions reported as own or shared, and differing categories.

    \b
    Example:
        tuscan aggregate shares/*.parquet --out tu-loesninger-alle-kommuner.xlsx
    """
    from tuscan.aggregate import aggregate_files

    summaries = aggregate_files(list(files), out)
    flagged = sum(1 for s in summaries if s.inconsistencies)
    click.echo(f"Wrote {out}: {len(summaries)} systems from {len(files)} files, {flagged} with inconsistencies")


@main.command("run")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="The pipeline's config (see examples/tuscan.toml). Without it: the bundled example.")
@prefect_option
def run_command(config_path: str | None, prefect: bool | None) -> None:
    """Run the whole pipeline for one municipality: archives, KITOS, website, report.

    Without --config, scans the bundled example archive into inventory.duckdb and writes
    tuscan-report.html and tuscan-report.xlsx in the working directory.

    \b
    Example:
        tuscan run --config tuscan.toml
    """
    from tuscan.cli.tracking import use_prefect
    from tuscan.pipeline import load_config

    config = load_config(config_path)   # config errors surface before anything starts
    if use_prefect(prefect):
        from flows.pipeline import pipeline_flow
        from tuscan.cli.heartbeats import without_unrequested_heartbeats
        from tuscan.cli.quiet_exit import silence_interpreter_teardown

        with without_unrequested_heartbeats():
            results = pipeline_flow(config_path)
        written = results.get("write-report", [])
        silence_interpreter_teardown()
    else:
        from tuscan import steps
        from tuscan.archive.load import ScanOptions
        from tuscan.steps import run_steps

        results = run_steps(steps.pipeline(config, ScanOptions(show_progress=True)))
        written = results.get("write-report", [])
    with database.reading(config.db) as con:
        from tuscan.summary import discover_summary

        click.echo(discover_summary(con))
    for path in written:
        click.echo(f"Wrote {path}")
