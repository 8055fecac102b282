"""A whole `tuscan discover` over a folder of ~100 kinds of hostile and broken input
(tests/hostile/generate.py): the run finishes, every input gets its row with a specific status and
reason, and no byte from outside the scanned folder is stored.

The scan runs as a separate process, as a user runs it, with a hard wall-clock bound: a run that
does not end within `HANG_SECONDS` is killed and the test fails naming what was stored by then.
That bound is a hang detector, not a speed requirement: a run that works takes a few minutes.
To find which input a failure comes from, scan a subset: TUSCAN_HOSTILE_KINDS=kind,kind… (or
TUSCAN_HOSTILE_SKIP=kind,…) with the kinds of tests/hostile/generate.py; by default all are scanned.
While it runs, the read position of every file descriptor its processes hold on the 20 GB sparse
file is sampled from /proc, so that file being hashed or read in full is caught even though reading
holes is quick and leaves no other trace. (Counting the bytes the processes read does not work:
Linux adds a reaped child's reads to its parent's, and every OCR'd page is a tesseract process that
reads its language data.)
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from tests.hostile.generate import SECRET_MARKER, TERMINAL_CONTROLS, Input, all_kinds, generate, remove_tree

HANG_SECONDS = 600
TIMEOUT = 20                       # --timeout: the per-document limit the run is given
# How far into the 20 GB sparse file the run may read: over the 200 MiB file size limit, far under 20 GB.
MAX_SPARSE_POSITION = 1 << 30
SPARSE_KIND = "sparse-20gb"


@dataclass
class Run:
    root: Path
    outside: Path
    db: Path
    inputs: list[Input] = field(repr=False)
    returncode: int | None
    seconds: float
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)
    hung: bool
    sparse_reads: dict[int, int] = field(default_factory=dict)   # pid → furthest position in the sparse file
    listing_before: list[str] = field(default_factory=list, repr=False)   # the root's entries
    listing_after: list[str] = field(default_factory=list, repr=False)


def _process_group(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


def _sample_positions(pgid: int, target: str, seen: dict[int, int]) -> None:
    """The furthest read position of any descriptor each process of the run has open on `target`."""
    for pid in _process_group(pgid):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") != target:
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}") as fh:
                    pos = int(next(line for line in fh if line.startswith("pos:")).split()[1])
            except (OSError, StopIteration, ValueError):
                continue
            seen[pid] = max(pos, seen.get(pid, 0))


def run_discover(root: Path, db: Path, cwd: Path, watch: str | None) -> tuple[int | None, float, str, str, bool, dict]:
    out, err = cwd / "discover.stdout", cwd / "discover.stderr"
    started = time.monotonic()
    seen: dict[int, int] = {}
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tuscan", "discover", str(root), "--db", str(db), "--no-prefect",
             "--timeout", str(TIMEOUT)],
            cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, start_new_session=True)
        hung = False
        try:
            while proc.poll() is None:
                if watch:
                    _sample_positions(proc.pid, watch, seen)
                if time.monotonic() - started > HANG_SECONDS:
                    hung = True
                    break
                time.sleep(0.2)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)   # the run's own process group: it and its workers
                proc.wait()
    return (None if hung else proc.returncode, time.monotonic() - started,
            out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"), hung, seen)


def _selected_kinds() -> set[str] | None:
    only = {k for k in os.environ.get("TUSCAN_HOSTILE_KINDS", "").split(",") if k}
    skip = {k for k in os.environ.get("TUSCAN_HOSTILE_SKIP", "").split(",") if k}
    if not skip:
        return only or None
    return (only or set(all_kinds())) - skip


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "archive", base / "outside"
    root.mkdir()
    inputs = generate(root, outside, _selected_kinds())
    before = sorted(os.listdir(root))
    sparse = [e.path for i in inputs if i.kind == SPARSE_KIND for e in i.expect]
    watch = str(root / sparse[0]) if sparse else None
    code, seconds, stdout, stderr, hung, seen = run_discover(root, base / "inventory.duckdb", base, watch)
    yield Run(root, outside, base / "inventory.duckdb", inputs, code, seconds, stdout, stderr, hung, seen,
              before, sorted(os.listdir(root)))
    # pytest's clean-up of old tmp folders recurses, and would fail on the 1,500-deep folder.
    remove_tree(str(root))


def _rows(db: Path) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {path: (status, error or "") for path, status, error in
                con.execute("SELECT path, status, error FROM document_findings").fetchall()}


def _short(path: str) -> str:
    text = repr(path)
    return text if len(text) <= 100 else f"{text[:60]}…{text[-30:]} ({len(path)} characters)"


def _missing(run: Run, rows: dict[str, tuple[str, str]]) -> list[str]:
    """Every way the stored rows differ from what the generator expects, one line per input."""
    problems = []
    for item in run.inputs:
        for expect in item.expect:
            if expect.pattern:
                matching = {p: r for p, r in rows.items() if re.search(expect.path, p)}
            else:
                matching = {expect.path: rows[expect.path]} if expect.path in rows else {}
            if len(matching) < expect.rows:
                problems.append(f"{item.kind}: {_short(expect.path)}: {len(matching)} row(s), expected {expect.rows}"
                                f" ({item.note})")
                continue
            for path, (status, reason) in matching.items():
                if status not in expect.statuses or not re.search(expect.reason, reason):
                    problems.append(f"{item.kind}: {_short(path)}: got {status}: {reason!r}; expected"
                                    f" {sorted(expect.statuses)} with a reason matching {expect.reason!r}")
    return problems


def _require_scan_finished(run: Run) -> None:
    """The other checks mean something only when the scan reached its end (nothing stored passes
    them all): fail, rather than pass, when it did not."""
    if run.hung:
        pytest.fail("the run did not finish (see test_the_scan_of_hostile_inputs_finishes); cannot check this")
    status = None
    if run.db.exists():
        with duckdb.connect(str(run.db), read_only=True) as con:
            row = con.execute("SELECT status FROM runs WHERE kind = 'discover' ORDER BY run_id DESC LIMIT 1"
                              ).fetchone()
        status = row[0] if row else None
    if status != "finished":
        pytest.fail(f"the scan ended {status or 'without a run record'} (see"
                    " test_the_scan_of_hostile_inputs_finishes); cannot check this")


def _stderr_tail(run: Run) -> str:
    return "\n".join(run.stderr.replace("\r", "\n").splitlines()[-15:])


@pytest.mark.slow
def test_the_scan_of_hostile_inputs_finishes(hostile_run):
    run = hostile_run
    if run.hung:
        stored = sorted(_rows(run.db)) if run.db.exists() else []
        done = {item.kind for item in run.inputs if all(
            any(re.search(e.path, p) for p in stored) if e.pattern else e.path in stored for e in item.expect)}
        pending = [item.kind for item in run.inputs if item.kind not in done]
        pytest.fail(f"tuscan discover still running after {HANG_SECONDS} s (killed). Inputs without their rows"
                    f" yet: {pending}\nlast progress lines:\n{_stderr_tail(run)}")
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    with duckdb.connect(str(run.db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs WHERE kind = 'discover' ORDER BY run_id DESC LIMIT 1").fetchone()[0] == "finished"
    assert not (run.root.parent.parent / "etc" / "x").exists()   # the ../../etc/x zip member
    assert run.listing_after == run.listing_before, "tuscan wrote into the scanned folder"


@pytest.mark.slow
def test_every_hostile_input_has_its_row_status_and_reason(hostile_run):
    _require_scan_finished(hostile_run)
    if _selected_kinds() is None:
        assert len({item.kind for item in hostile_run.inputs}) >= 55
    problems = _missing(hostile_run, _rows(hostile_run.db))
    assert not problems, f"{len(problems)} input(s) not recorded as expected:\n" + "\n".join(problems)


def _outside_texts() -> list[str]:
    texts = [SECRET_MARKER]
    for path in ("/etc/passwd", "/etc/shadow"):
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                first = fh.readline().strip()
        except OSError:
            continue
        if first:
            texts.append(first)
    return texts


@pytest.mark.slow
def test_no_text_from_outside_the_scanned_folder_is_stored(hostile_run):
    _require_scan_finished(hostile_run)
    found = []
    with duckdb.connect(str(hostile_run.db), read_only=True) as con:
        for needle in _outside_texts():
            for table, column in (("pages", "text"), ("hits", "snippet"), ("contents", "title"),
                                  ("contents", "error"), ("documents", "read_error")):
                count = con.execute(f"SELECT count(*) FROM {table} WHERE contains({column}, ?)", [needle]).fetchone()[0]
                if count:
                    paths = con.execute(
                        f"SELECT DISTINCT d.path FROM documents d JOIN {table} t ON t.sha256 = d.sha256"
                        f" WHERE contains(t.{column}, ?)", [needle]).fetchall() if table != "documents" else []
                    found.append(f"{needle[:30]!r} in {table}.{column} ({count} rows; {sorted(p for p, in paths)})")
    assert not found, "text from outside the scanned folder was stored:\n" + "\n".join(found)


@pytest.mark.slow
def test_the_20_gb_sparse_file_is_not_read_in_full(hostile_run):
    if not any(item.kind == SPARSE_KIND for item in hostile_run.inputs):
        pytest.skip(f"{SPARSE_KIND} not among the kinds scanned")
    _require_scan_finished(hostile_run)
    furthest = max(hostile_run.sparse_reads.values(), default=0)
    assert furthest < MAX_SPARSE_POSITION, (
        f"the run read {furthest / 2**30:.1f} GiB into the 20 GB sparse file (by process: "
        + ", ".join(f"pid {pid} {pos / 2**30:.1f} GiB" for pid, pos in sorted(hostile_run.sparse_reads.items()))
        + "): it was hashed or read in full before the size limit rejected it")


@pytest.mark.slow
def test_control_characters_in_names_reach_the_terminal_escaped(hostile_run):
    if hostile_run.returncode != 0:   # the summary, which lists unreadable files, is printed at the end
        pytest.fail("the run did not finish (see test_the_scan_of_hostile_inputs_finishes); cannot check this")
    for stream, text in (("stdout", hostile_run.stdout), ("stderr", hostile_run.stderr)):
        raw = sorted({repr(c) for c in TERMINAL_CONTROLS if c in text})
        lines = [repr(line[:120]) for line in text.splitlines() if any(c in line for c in TERMINAL_CONTROLS)]
        assert not raw, f"{stream} holds raw {', '.join(raw)}:\n" + "\n".join(lines[:10])
