"""Import exports / fetch from the API into the inventory: the plain functions behind the CLI and flows.

    summary = import_exports(["IT Systemer Overblik.xlsx"], db)
    summary = fetch_into(db, "https://kitos.dk", "29189129")     # credentials from the environment

Each call is one run (runs.kind 'kitos'; runs.args never holds credentials), stores what it read,
records per file what was imported and skipped (kitos_loads), and re-classifies the inventory.

An export is recognised by its content (sha256), not its name: the same bytes saved as "kitos (1).xlsx"
are reported as already imported and stored nothing again; a changed export replaces the exports of
the same kind that earlier commands imported (tuscan.kitos.store), so rows never double.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tuscan import db as database
from tuscan.errors import TuscanError
from tuscan.kitos.exports import KitosExportError, content_sha256, read_export
from tuscan.kitos.store import (
    StoredExport,
    api_origin,
    find_content,
    record_load,
    replace_origin,
    store_export,
)
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
    sha256: str | None = None
    same_as: StoredExport | None = None          # already imported: the stored export with these bytes
    replaced: list[StoredExport] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return "refused" if self.error else "already_imported" if self.same_as else "imported"

    def describe(self) -> str:
        name = self.origin if self.origin.startswith("api:") else Path(self.origin).name
        if self.error:
            return f"{name}: not imported: {self.error}"
        if self.same_as:
            return f"{name}: {self._already_imported()}"
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
        return line + self._replaces()

    def _what(self, kind: str | None, rows: int | None) -> str:
        return f"{kind} export, {rows if rows is not None else '?'} {KIND_LABELS.get(kind, 'rows')}"

    def _already_imported(self) -> str:
        earlier = self.same_as
        what = self._what(earlier.kind, earlier.rows)
        if earlier.origin == self.origin:
            said = f"already imported {earlier.when()} and unchanged since ({what})"
        else:
            said = (f'already imported: the same content as "{earlier.name(self.origin)}" ({what}), '
                    f"imported {earlier.when()}")
        return said + "; nothing stored again"

    def _replaces(self) -> str:
        parts = [f"what this file imported {old.when()}" if old.origin == self.origin
                 else f'"{old.name(self.origin)}" (imported {old.when()})' for old in self.replaced]
        return f"; replaces {', '.join(parts)}" if parts else ""


@dataclass
class KitosSummary:
    run_id: int
    files: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    def describe(self) -> str:
        return "\n".join([f.describe() for f in self.files] + self.notes)

    def as_json(self) -> dict:
        return {"files": [{"origin": f.origin, "kind": f.kind, "imported": f.imported, "skipped": len(f.skipped),
                           "error": f.error, "outcome": f.outcome, "sha256": f.sha256,
                           "same_as": f.same_as.origin if f.same_as else None,
                           "replaced": [r.origin for r in f.replaced]} for f in self.files], "notes": self.notes}




def _import_file(con: duckdb.DuckDBPyConnection, run_id: int, path: str | os.PathLike, origin: str,
                 force: bool) -> FileResult:
    """Import one file, unless the same bytes are stored already. `force` reads it again anyway
    (e.g. after upgrading tuscan), except when this very command stored them: that would double."""
    sha256 = None
    try:
        sha256, size = content_sha256(path)
        earlier = find_content(con, sha256)
        if earlier and (not force or earlier.run_id == run_id):
            return FileResult(origin, earlier.kind, sha256=sha256, same_as=earlier)
        export = read_export(path)
    except KitosExportError as exc:
        return FileResult(origin, None, error=str(exc).removeprefix(f"{path}: "), sha256=sha256)
    replaced = store_export(con, origin, run_id, export, sha256, size)
    return FileResult(origin, export.kind, export.imported, export.skipped, sha256=sha256, replaced=replaced)


def _record(con: duckdb.DuckDBPyConnection, run_id: int, result: FileResult) -> None:
    record_load(con, run_id, result.origin, result.kind, result.imported, result.skipped, result.error,
                sha256=result.sha256, outcome=result.outcome,
                same_as=result.same_as.origin if result.same_as else None,
                replaced=[r.origin for r in result.replaced])


def _same_kind_note(files: list[FileResult]) -> list[str]:
    """Several exports of one kind in one command add up; say so, since a later import replaces them all."""
    kinds = [f.kind for f in files if f.outcome == "imported"]
    return [f"{kinds.count(kind)} {kind} exports in this import: their rows add up (a later import of a {kind} "
            "export replaces them all)" for kind in dict.fromkeys(kinds) if kinds.count(kind) > 1]


def import_into(con: duckdb.DuckDBPyConnection, paths: list[str | os.PathLike], *,
                force: bool = False) -> KitosSummary:
    """Read and store each export. A file that is not a KITOS export is reported, not fatal; a file
    whose content is stored already is reported and skipped."""
    origins = [str(Path(p).resolve()) for p in paths]
    run_id = start_run(con, "kitos", {"action": "import", "files": origins, **({"force": True} if force else {})})
    summary = KitosSummary(run_id)
    try:
        for path, origin in zip(paths, origins, strict=True):
            result = _import_file(con, run_id, path, origin, force)
            _record(con, run_id, result)
            summary.files.append(result)
        summary.notes.extend(_same_kind_note(summary.files))
    except BaseException as exc:
        finish_run(con, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    finish_run(con, run_id, "finished", summary=summary.as_json())
    return summary


def import_exports(paths: list[str | os.PathLike], db: str | os.PathLike = database.DEFAULT_DB, *,
                   wait: float = 0, force: bool = False) -> KitosSummary:
    with database.writing(db, wait=wait, command="kitos import") as con:
        return import_into(con, paths, force=force)


def fetch_into(db: str | os.PathLike, url: str, cvr: str, *, email: str | None = None, password: str | None = None,
               session=None, timeout: float | None = None, page_size: int | None = None, wait: float = 0,
               backoff: float = 0.5) -> KitosSummary:
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
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):
                record_load(con, run_id, origin, "api", 0, [], str(exc))
            finish_run(con, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
        finish_run(con, run_id, "finished", summary=summary.as_json())
        return summary
