"""Crash safety: a `discover` killed with SIGKILL part-way leaves a database that opens, the run is
shown as interrupted, and the next run finishes the work with no document lost or counted twice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from tests.conftest import EXAMPLE_ARCHIVE, REPO
from tuscan import db
from tuscan.steps import run_discover

FINDINGS = ("SELECT path, status, error, tu_evidence, keywords, excluded, system, sha256"
            " FROM document_findings ORDER BY path")

# Runs discover with the real worker pool and reports every stored file on stdout, slowly enough
# that the test can kill it between batches.
DRIVER = textwrap.dedent("""
    import sys, time
    import tuscan.archive.scan
    from tuscan.steps import run_discover

    tuscan.archive.scan.WRITE_FILES = 1   # write each batch as it arrives, so "stored" means committed

    def progress(summary, ref):
        if ref is not None:
            print("stored", summary.extracted, flush=True)
            time.sleep(0.004)

    if __name__ == "__main__":   # worker processes import this file too
        run_discover([sys.argv[1]], sys.argv[2], workers=2, progress=progress)
        print("done", flush=True)
""")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A few hundred small contracts (some with login evidence, some with traps, some duplicates and
    zips) plus the example archive's PDFs and Word files."""
    root = tmp_path_factory.mktemp("crash") / "archive"
    shutil.copytree(EXAMPLE_ARCHIVE, root / "eksempel")
    texts = [
        "Borgerne logger ind med MitID via NemLog-in på {v} Selvbetjening.",
        "Virksomheder anvender medarbejdersignatur (MitID Erhverv) i {v} Portal.",
        "Betaling sker til leverandørens NemKonto. Leverandør: {v} ApS.",
        "Aftalen er underskrevet med NemID via Penneo. Leverandør: {v} A/S.",
        "Serviceniveau og priser for {v} Drift. Ingen login.",
    ]
    for i in range(300):
        folder = root / f"Leverandør {i % 12:02d}"
        folder.mkdir(exist_ok=True)
        body = texts[i % len(texts)].format(v=f"Korsbæk {i // 5}") + f"\nKontrakt nr. {i}."
        (folder / f"Kontrakt {i:03d}.txt").write_text(body, "utf-8")
    for i in range(0, 300, 50):   # duplicates: content already seen under another name
        shutil.copy(root / f"Leverandør {i % 12:02d}" / f"Kontrakt {i:03d}.txt", root / f"Kopi {i}.txt")
    for z in range(3):
        with zipfile.ZipFile(root / f"Bilag {z}.zip", "w") as zf:
            for m in range(5):
                zf.writestr(f"Bilag {z}-{m}.txt", texts[m].format(v=f"Zip {z}") + f" Bilag {m}.")
    return root


@pytest.fixture(scope="module")
def reference(archive, tmp_path_factory):
    """The findings of one uninterrupted run."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    run_discover([str(archive)], str(path), runner="inline")
    with db.reading(path) as con:
        return con.execute(FINDINGS).fetchall()


def start_driver(tmp_path, archive, db_path) -> subprocess.Popen:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, str(script), str(archive), str(db_path)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_after(proc: subprocess.Popen, stored: int) -> int:
    """SIGKILL the driver once it has stored `stored` files (so earlier batches are committed)."""
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        if line.startswith("stored") and int(line.split()[1]) >= stored:
            proc.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the driver never got that far"
    else:
        pytest.fail(f"the driver finished before it could be killed: {proc.stderr.read()[-2000:]}")
    proc.wait(timeout=30)
    return int(line.split()[1])


def assert_counted_once(con) -> None:
    for table, key in (("hits", "sha256, page, \"offset\", term"), ("pages", "sha256, page"),
                       ("members", "container_sha256, name"), ("documents", "root, path")):
        dupes = con.execute(f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1").fetchall()
        assert dupes == [], f"{table} has rows stored twice: {dupes[:3]}"


@pytest.mark.parametrize("kill_at", [1, 150])
def test_killed_discover_resumes_to_the_same_findings(tmp_path, archive, reference, kill_at):
    db_path = tmp_path / "killed.duckdb"
    proc = start_driver(tmp_path, archive, db_path)
    try:
        stored_before_kill = kill_after(proc, kill_at)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    # The database opens (read-only, no writer holds it any more) and holds only whole batches.
    with db.reading(db_path) as con:
        partial = con.execute("SELECT count(*) FROM documents WHERE sha256 IS NOT NULL").fetchone()[0]
        assert_counted_once(con)
    assert partial <= stored_before_kill + 64

    resumed = run_discover([str(archive)], str(db_path), workers=2)
    with db.reading(db_path) as con:
        runs = con.execute("SELECT run_id, status, error FROM runs WHERE kind = 'discover' ORDER BY run_id").fetchall()
        findings = con.execute(FINDINGS).fetchall()
        assert_counted_once(con)
    assert [r[1] for r in runs] == ["interrupted", "finished"]
    assert "stopped before the run finished" in runs[0][2]
    assert resumed.unchanged + resumed.linked >= partial - 15   # committed work is not done again
    assert findings == reference
    assert len(findings) > 300
