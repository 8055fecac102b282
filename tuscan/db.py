"""Opening the inventory database: migrations, views, and one writer at a time.

DuckDB lets one process hold a database file for writing; a second process gets a lock error.
tuscan turns that into `DatabaseLocked` naming the other tuscan process, its command and since when
(from a small side file written next to the database while a writer holds it), and can wait for it.
The writer attaches the file to an in-memory DuckDB, which is how DuckDB takes a row group size
(`ROW_GROUP_SIZE`); the writable connections of one process share it, as they share a file that
DuckDB opens twice, and `release` detaches the file after the last of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import sql
from tuscan.errors import DatabaseLocked, DatabaseMissing, NotADatabase, SchemaTooNew

DEFAULT_DB = "inventory.duckdb"
# DuckDB's default buffer is 80% of RAM, so a long scan's memory grows with the archive; a fixed cap
# keeps it flat (DuckDB spills to disk beyond it). DuckDB's checkpoints use memory beyond the cap:
# storing 700 MB of page text, the writer levels off at ~390 MB with 256 MB, ~330 MB with 192 MB,
# ~260 MB with 128 MB (bench/page_storage.py). 128 MB costs the writer ~25% more CPU (~1 s on the
# 21,000-page benchmark, ~2% of the scan) and keeps a scan's process tree well under 500 MB, with
# Prefect imported too. Insertion order is not needed by any query. A checkpoint every 64 MB of
# write-ahead log rather than DuckDB's 16 MB: a scan stores page text in a stream of commits, and
# fewer, larger checkpoints cost the writer less (~1 s less CPU on the 20,000-page dense benchmark,
# the peak staying at ~255 MB for 700 MB of text; bench/results.md, issue 18 notes).
CONNECTION_CONFIG = {"memory_limit": "128MB", "preserve_insertion_order": "false", "checkpoint_threshold": "64MB"}
# Rows per row group for what the writer stores, against DuckDB's 122,880. Each checkpoint (every
# 64 MB) starts new row groups for the rows written since, and DuckDB's vacuum merges neighbours
# that fit into fewer row groups: with row groups of 122,880 pages (~600 MB of text) page text is
# read back and compressed again checkpoint after checkpoint, and the more an archive holds the more
# often. Storing 932 MB of contract-like text cost the writer 36.6–41.0 s of CPU with 122,880 rows,
# 25.1–25.2 s with 16,384, 10.8 s with 4,096; 1,000 pages of 40,000 characters (DOCX) before the
# rest, 3.4–3.9, 3.0–3.2 and 1.8 s; 116 MB of pages of one size, 1.6–1.8, 1.2–1.4 and 1.4 s
# (bench/page_storage.py, bench/results.md). Row groups of a run's few rows are still merged up to
# that size, so a database written by many small runs stays small (500 runs: 3.8 MB against
# DuckDB's 2.0 MB); with vacuum turned off instead it grew to 255 MB. A setting of the attached
# database, not of the file: it applies to what the writer's connection writes.
ROW_GROUP_SIZE = 4_096
CATALOG = "inventory"   # the name the attached file has in the writer's connection


def _holder_file(path: Path) -> Path:
    return path.with_name(path.name + ".writer.json")


def _describe_holder(path: Path, error: str, read_only: bool = False) -> str:
    """Who holds the database: the tuscan command from the side note, when the note belongs to the
    process DuckDB names (a note left by a killed tuscan must not be blamed on another process)."""
    match = re.search(r"\(PID (\d+)\)", error)
    locker = int(match.group(1)) if match else None
    try:
        info = json.loads(_holder_file(path).read_text(encoding="utf-8"))
        if locker is not None and info.get("pid") != locker:
            raise ValueError("stale note")
        who = (f"tuscan {info.get('command', '?')} (PID {info.get('pid')} on {info.get('host')},"
               f" since {info.get('since')})")
    except (OSError, ValueError, AttributeError):
        # Not a tuscan process (or it left no note): DuckDB's own message names the process.
        who = f"another process (PID {locker if locker is not None else '?'})"
    doing = "cannot be read while it is being written" if read_only else "cannot be written by two processes at once"
    return f"{path} is in use by {who}; it {doing}. Wait for it to finish, or pass --wait SECONDS."


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


# DuckDB database files start with a 8-byte checksum, then "DUCK" (the storage header's magic).
_DUCKDB_MAGIC = b"DUCK"


def _refuse_non_database(path: Path) -> None:
    """A `--db` that exists but is not a DuckDB file (a PDF given by mistake, a directory) is refused
    before DuckDB opens it: DuckDB would overwrite or fail with a traceback, and the file must stay
    untouched."""
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir():
        raise NotADatabase(f"{path} is a folder, not a database file; give a file name such as inventory.duckdb")
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise NotADatabase(f"{path} cannot be opened: {exc.strerror or exc}") from None
    if head and head[8:12] != _DUCKDB_MAGIC:
        raise NotADatabase(f"{path} is not a tuscan (DuckDB) database; it was left unchanged. Give another --db"
                           " file name, or move that file away")


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    _refuse_non_database(path)
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            return _connect(path, read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                if isinstance(exc, duckdb.IOException) and "read-only" in str(exc).lower():
                    raise NotADatabase(f"{path} cannot be written: the folder or file is read-only") from None
                raise NotADatabase(f"{path} cannot be opened as a database: {_first_line(exc)}") from None
            if time.monotonic() >= deadline:
                raise DatabaseLocked(_describe_holder(path, str(exc), read_only)) from None
            time.sleep(0.5)
        except (duckdb.SerializationException, duckdb.InvalidInputException) as exc:
            raise NotADatabase(f"{path} is not a tuscan (DuckDB) database: {_first_line(exc)}") from None


@dataclass
class _Attached:
    """A database file attached for writing in this process: the connection that attached it (the
    first writable one) and the cursors of it that other writable opens were given (`_connect`)."""

    root: duckdb.DuckDBPyConnection
    cursors: list[duckdb.DuckDBPyConnection] = field(default_factory=list)
    root_released: bool = False


_attached: dict[str, _Attached] = {}
_attached_lock = threading.Lock()


def _is_open(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` is still open. Probed with a cursor of its own, not a query: another thread may
    be using `con`, and a query would replace the result that thread is about to fetch."""
    try:
        con.cursor().close()
    except duckdb.ConnectionException:
        return False
    return True


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A read-only connection opens the file itself. The writer attaches it to an in-memory DuckDB,
    the only way to give DuckDB a row group size (`ROW_GROUP_SIZE`), with spill files beside the
    database as when DuckDB opens the file itself. Writable opens of one process share that DuckDB,
    as DuckDB shares the database of a file opened twice: the first gets the connection that
    attached the file, later ones a cursor of it; closing the first closes its cursors, so
    `release` keeps it open until the last cursor is released."""
    if read_only:
        return duckdb.connect(str(path), read_only=True, config=CONNECTION_CONFIG)
    key = str(path.resolve())
    with _attached_lock:
        entry = _attached.get(key)
        if entry is not None and _is_open(entry.root):
            cursor = entry.root.cursor()
            cursor.execute(f"USE {CATALOG}")
            entry.cursors.append(cursor)
            return cursor
        if entry is not None:
            del _attached[key]   # its first connection was closed without `release`: detached
        root = duckdb.connect(config={**CONNECTION_CONFIG, "temp_directory": f"{path}.tmp"})
        try:
            quoted = str(path).replace("'", "''")
            root.execute(f"ATTACH '{quoted}' AS {CATALOG} (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
            root.execute(f"USE {CATALOG}")
        except BaseException:
            root.close()
            raise
        _attached[key] = _Attached(root)
        return root


def _detach(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Close a writable connection of `path`; detach the file once the first connection and every
    cursor of it are released. True when the file is no longer attached in this process."""
    key = str(path.resolve())
    with _attached_lock:
        entry = _attached.get(key)
        if entry is None or (con is not entry.root and con not in entry.cursors):
            con.close()
            return entry is None
        if con is entry.root:
            entry.root_released = True
        else:
            entry.cursors.remove(con)
            con.close()
        entry.cursors = [c for c in entry.cursors if _is_open(c)]
        if not entry.root_released or entry.cursors:
            return False
        del _attached[key]
        entry.root.close()       # detaches: the last checkpoint, and the file lock is free
        return True


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations (each in its own transaction) and re-create the views."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR,"
        " applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    known = sql.migrations()
    newest = max((v for v, _, _ in known), default=0)
    if applied and max(applied) > newest:
        raise SchemaTooNew(f"the database has schema version {max(applied)}; this tuscan knows up to {newest}")
    done = []
    for version, name, script in known:
        if version in applied:
            continue
        with transaction(con):
            for statement in sql.statements(script):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
        done.append(version)
    for _name, script in sql.views():
        for statement in sql.statements(script):
            con.execute(statement)
    return done


def connect(
    path: str | os.PathLike = DEFAULT_DB,
    *,
    read_only: bool = False,
    wait: float = 0,
    command: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the inventory. A writable open creates the file, applies migrations and records who
    holds it; a read-only open requires an existing, migrated file."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise DatabaseMissing(f"{path} does not exist yet; run `tuscan discover` (or `tuscan run`) first")
        con = _open(path, True, wait)
        try:
            has_schema = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            ).fetchone()[0]
            current = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] if has_schema else None
        except duckdb.Error:
            current = None
        newest = max(v for v, _, _ in sql.migrations())
        if current == newest:
            return con
        con.close()
        # An older schema: migrate once (this needs the write lock), then reopen read-only.
        release(connect(path, wait=wait, command=command or "migrate"), path)
        return _open(path, True, wait)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NotADatabase(f"{path}: its folder cannot be created: {exc.strerror or exc}") from None
    con = _open(path, False, wait)
    try:
        migrate(con)
    except Exception:
        _detach(con, path)
        raise
    _write_holder_note(path, command)
    return con


def _write_holder_note(path: Path, command: str | None) -> None:
    """Write the note naming this process as the writer. Created afresh and exclusively, never
    through a symbolic link: a link planted under the note's name would otherwise make tuscan
    overwrite the file it points to. The writer holds DuckDB's lock, so an existing note is stale
    (left by a killed run) and is replaced; a note that cannot be written only costs the message."""
    note = _holder_file(path)
    body = json.dumps({
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command or " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:2]),
        "since": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
    }).encode("utf-8")
    with contextlib.suppress(OSError):
        if note.is_symlink() or note.exists():
            note.unlink()           # removes a link itself, never its target
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)


def release(con: duckdb.DuckDBPyConnection, path: str | os.PathLike) -> None:
    """Close a writable connection; after the last of this process, detach the file and remove the
    note naming this process as the writer."""
    if not _detach(con, Path(path)):
        return
    holder = _holder_file(Path(path))
    with contextlib.suppress(OSError, ValueError):
        if not holder.is_symlink() and json.loads(holder.read_text(encoding="utf-8")).get("pid") == os.getpid():
            holder.unlink()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """`with transaction(con):` — BEGIN, then COMMIT, or ROLLBACK when the block raises (also on
    Ctrl-C), so a killed or failed step never leaves half of its rows behind."""
    con.execute("BEGIN")
    try:
        yield con
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert of rows (tuples in the order of `columns`): each column goes to DuckDB as a NumPy
    object array, which it reads 2–3× faster than list parameters to `unnest` (profiled on the
    scan's hits and classification's evidence; both orders of magnitude faster than executemany).
    DuckDB finds each column's type from its values, NULLs anywhere, and casts to the table's."""
    if not rows:
        return
    # Imported here, not at the top: worker processes and start-up do not need it.
    import numpy as np

    values = list(zip(*rows, strict=True))
    batch = {f"c{i}": np.fromiter(column, dtype=object, count=len(rows)) for i, column in enumerate(values)}
    name = f"_insert_{table}"
    con.register(name, batch)
    try:
        quoted = ", ".join(f'"{c}"' for c in columns)
        picked = ", ".join(batch)
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {picked} FROM {name}")
    finally:
        con.unregister(name)


@dataclass
class _Held:
    """A connection held open across the steps of one command (`held`), opened at its first use."""

    wait: float
    command: str | None
    con: duckdb.DuckDBPyConnection | None = None


# (resolved path, thread) → what `held` holds. Only the thread that holds a connection uses it: a
# DuckDB connection is not shared between threads.
_held: dict[tuple[str, int], _Held] = {}


def _held_key(path: str | os.PathLike) -> tuple[str, int]:
    return str(Path(path).resolve()), threading.get_ident()


@contextlib.contextmanager
def held(path: str | os.PathLike = DEFAULT_DB, *, wait: float = 0, command: str | None = None) -> Iterator[None]:
    """`with held(db):` — within the block, `writing(db)` and `reading(db)` in this thread share one
    writable connection, opened at the first of them and closed when the block ends. A command that
    runs its steps one after another in one process (`tuscan discover` without Prefect) opens the
    inventory once instead of once a step: each open costs ~50 ms (schema check, views) and a
    close ~10 ms (checkpoint). Steps run as Prefect tasks open their own, as before."""
    key = _held_key(path)
    if key in _held:
        yield
        return
    _held[key] = _Held(wait, command)
    try:
        yield
    finally:
        con = _held.pop(key).con
        if con is not None:
            release(con, path)


def _held_connection(path: str | os.PathLike) -> duckdb.DuckDBPyConnection | None:
    entry = _held.get(_held_key(path)) if _held else None
    if entry is None:
        return None
    if entry.con is None:
        entry.con = connect(path, wait=entry.wait, command=entry.command)
    return entry.con


@contextlib.contextmanager
def writing(path: str | os.PathLike = DEFAULT_DB, *, wait: float = 0, command: str | None = None
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """`with writing(db) as con:` — the one writer for the duration of the block (or of `held`)."""
    shared = _held_connection(path)
    if shared is not None:
        yield shared
        return
    con = connect(path, wait=wait, command=command)
    try:
        yield con
    finally:
        release(con, path)


@contextlib.contextmanager
def reading(path: str | os.PathLike = DEFAULT_DB, *, wait: float = 0) -> Iterator[duckdb.DuckDBPyConnection]:
    """`with reading(db) as con:` — a read-only connection (fails clearly while a writer holds it);
    within `held`, the held writable one."""
    shared = _held_connection(path)
    if shared is not None:
        yield shared
        return
    con = connect(path, read_only=True, wait=wait)
    try:
        yield con
    finally:
        con.close()
