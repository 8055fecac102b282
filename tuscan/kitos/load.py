"""Import exports / fetch from the API into the inventory: the plain functions behind the CLI and flows.

    summary = import_exports(["IT Systemer Overblik.xlsx"], db)
    summary = fetch_into(db, "https://kitos.dk", "29189129")     # credentials from the environment

Each call is one run (runs.kind 'kitos'; runs.args never holds credentials), stores what it read,
records per file what was imported and skipped (kitos_loads), and re-classifies the inventory.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tuscan import db as database
from tuscan.errors import TuscanError
from tuscan.kitos.exports import KitosExportError, read_export
from tuscan.kitos.store import api_origin, record_load, replace_origin
from tuscan.runs import finish_run, start_run

KIND_LABELS = {"usage": "systems in use", "catalog": "catalog entries", "contracts": "contracts"}


class KitosImportFailed(TuscanError):
    """Some of the files given to `tuscan kitos import` are not KITOS exports (the others were imported)."""


@dataclass
class FileResult:
    origin: str
    kind: str | None
    imported: int = 0
    skipped: list[str] = field(default_factory=list)
    error: str | None = None

    def describe(self) -> str:
        name = self.origin if self.origin.startswith("api:") else Path(self.origin).name
        if self.error:
            return f"{name}: not imported: {self.error}"
        if self.kind == "api":
            url, _, cvr = self.origin.removeprefix("api:").rpartition("#")
            line = f"KITOS API {url} (CVR {cvr}): {self.imported} systems in use imported"
        else:
            line = f"{name}: {self.kind} export, {self.imported} {KIND_LABELS.get(self.kind, 'rows')} imported"
        if self.skipped:
            shown = "; ".join(self.skipped[:5]) + (f"; … {len(self.skipped) - 5} more" if len(self.skipped) > 5 else "")
            line += f", {len(self.skipped)} skipped ({shown})"
        else:
            line += ", 0 skipped"
        return line


@dataclass
class KitosSummary:
    run_id: int
    files: list[FileResult] = field(default_factory=list)
    classified: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    def describe(self) -> str:
        lines = [f.describe() for f in self.files] + self.notes
        if self.classified:
            lines.append(self.classified)
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"files": [{"origin": f.origin, "kind": f.kind, "imported": f.imported, "skipped": len(f.skipped),
                           "error": f.error} for f in self.files], "notes": self.notes}


def _classify(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        from tuscan.classify import classify
    except ImportError:   # the lead's classifier not there yet: the rows are stored, classify later
        return None
    return classify(con).describe()


def import_into(con: duckdb.DuckDBPyConnection, paths: list[str | os.PathLike], *, classify: bool = True
                ) -> KitosSummary:
    """Read and store each export. A file that is not a KITOS export is reported, not fatal."""
    origins = [str(Path(p).resolve()) for p in paths]
    run_id = start_run(con, "kitos", {"action": "import", "files": origins})
    summary = KitosSummary(run_id)
    try:
        for path, origin in zip(paths, origins, strict=True):
            try:
                export = read_export(path)
            except KitosExportError as exc:
                result = FileResult(origin, None, error=str(exc).removeprefix(f"{path}: "))
                record_load(con, run_id, origin, None, 0, [], result.error)
                summary.files.append(result)
                continue
            replace_origin(con, origin, run_id, systems=export.systems, contracts=export.contracts)
            record_load(con, run_id, origin, export.kind, export.imported, export.skipped)
            summary.files.append(FileResult(origin, export.kind, export.imported, export.skipped))
        if classify:
            summary.classified = _classify(con)
    except BaseException as exc:
        finish_run(con, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    finish_run(con, run_id, "finished", summary=summary.as_json())
    return summary


def import_exports(paths: list[str | os.PathLike], db: str | os.PathLike = database.DEFAULT_DB, *,
                   wait: float = 0, classify: bool = True) -> KitosSummary:
    with database.writing(db, wait=wait, command="kitos import") as con:
        return import_into(con, paths, classify=classify)


def fetch_into(db: str | os.PathLike, url: str, cvr: str, *, email: str | None = None, password: str | None = None,
               session=None, timeout: float | None = None, page_size: int | None = None, wait: float = 0,
               backoff: float = 0.5, classify: bool = True) -> KitosSummary:
    """Fetch the organisation's systems from the KITOS API v2 and store them (replacing the previous
    fetch of the same URL and CVR). Credentials: arguments, else KITOS_EMAIL / KITOS_PASSWORD."""
    from tuscan.kitos import api

    if email is None or password is None:
        email, password = api.credentials_from_env()
    origin = api_origin(url, cvr)
    options = {"timeout": timeout or api.DEFAULT_TIMEOUT, "page_size": page_size or api.DEFAULT_PAGE_SIZE}
    with database.writing(db, wait=wait, command="kitos fetch") as con:
        # Only the URL, CVR and options: never the e-mail or password (runs.args is shown to users).
        run_id = start_run(con, "kitos", {"action": "fetch", "url": url, "cvr": cvr, **options})
        summary = KitosSummary(run_id)
        try:
            data = api.fetch(url, cvr, email, password, session=session, backoff=backoff, **options)
            replace_origin(con, origin, run_id, systems=data.systems)
            result = FileResult(origin, "api", len(data.usages), data.skipped)
            record_load(con, run_id, origin, "api", result.imported, data.skipped)
            summary.files.append(result)
            summary.notes.append(
                f"{data.organisation.name} (CVR {data.organisation.cvr or cvr}): {len(data.usages)} systems in use, "
                f"{len(data.catalog)} catalog entries; {data.requests} requests, {data.retries} retried")
            if classify:
                summary.classified = _classify(con)
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):
                record_load(con, run_id, origin, "api", 0, [], str(exc))
            finish_run(con, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
        finish_run(con, run_id, "finished", summary=summary.as_json())
        return summary
