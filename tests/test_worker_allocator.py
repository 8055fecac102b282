"""The reading processes' allocator (tuscan.archive.allocator): TCMalloc preloaded into the fork
server where it is installed, glibc's malloc with TUSCAN_WORKER_ALLOCATOR=system, and never passed on
to the programs a worker runs or left in the parent's environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tuscan.archive import allocator

REPO = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: multiprocessing starts one fork server per process, so the first pool
# of a test session would decide for all the others.
_POOL_SCRIPT = textwrap.dedent("""
    import json, os, subprocess, sys
    from pathlib import Path
    from tuscan.archive.pool import WorkerPool

    def probe(abs_path, name, limits):
        maps = Path("/proc/self/maps").read_text()
        child = subprocess.run(["env"], capture_output=True, text=True, check=True).stdout
        return {"tcmalloc": "libtcmalloc" in maps,
                "child_preload": [line for line in child.splitlines() if line.startswith("LD_PRELOAD=")]}

    if __name__ == "__main__":
        with WorkerPool(2, task=probe) as pool:
            results = pool.submit([(sys.argv[0], "a", 1), (sys.argv[0], "b", 1)]).result()
        print(json.dumps({"workers": results, "parent_preload": os.environ.get("LD_PRELOAD")}))
""")


def _run_pool(tmp_path: Path, **env: str) -> dict:
    script = tmp_path / "pool_probe.py"
    script.write_text(_POOL_SCRIPT, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", allocator.ALLOCATOR_ENV)}
    environment.update(env, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=environment,
                          cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


needs_tcmalloc = pytest.mark.skipif(allocator.tcmalloc_path() is None,
                                    reason="libtcmalloc-minimal4 is not installed (.ci/run installs it)")


@needs_tcmalloc
def test_workers_read_with_tcmalloc_and_their_programs_start_without_it(tmp_path):
    found = _run_pool(tmp_path)
    assert [w["tcmalloc"] for w in found["workers"]] == [True, True]
    assert [w["child_preload"] for w in found["workers"]] == [[], []]
    assert found["parent_preload"] is None      # the parent's environment is as it was


@needs_tcmalloc
def test_a_users_own_preload_is_kept_for_the_programs_a_worker_runs(tmp_path):
    own = "libz.so.1"      # present wherever Python is, and harmless to preload
    found = _run_pool(tmp_path, LD_PRELOAD=own)
    assert [w["tcmalloc"] for w in found["workers"]] == [True, True]
    assert [w["child_preload"] for w in found["workers"]] == [[f"LD_PRELOAD={own}"]] * 2
    assert found["parent_preload"] == own


def test_system_allocator_on_request(tmp_path):
    found = _run_pool(tmp_path, **{allocator.ALLOCATOR_ENV: "system"})
    assert [w["tcmalloc"] for w in found["workers"]] == [False, False]
    assert [w["child_preload"] for w in found["workers"]] == [[], []]


def test_worker_preload_follows_the_setting(monkeypatch):
    monkeypatch.setenv(allocator.ALLOCATOR_ENV, "system")
    assert allocator.worker_preload() is None
    monkeypatch.setenv(allocator.ALLOCATOR_ENV, "auto")
    assert allocator.worker_preload() == allocator.tcmalloc_path()


def test_preloaded_adds_after_the_users_libraries_and_forget_takes_only_ours(monkeypatch):
    monkeypatch.setenv("LD_PRELOAD", "/opt/own/libmine.so")
    with allocator.preloaded("/usr/lib/libtcmalloc_minimal.so.4"):
        assert os.environ["LD_PRELOAD"] == "/opt/own/libmine.so /usr/lib/libtcmalloc_minimal.so.4"
        allocator.forget("/usr/lib/libtcmalloc_minimal.so.4")
        assert os.environ["LD_PRELOAD"] == "/opt/own/libmine.so"
    assert os.environ["LD_PRELOAD"] == "/opt/own/libmine.so"


def test_preloaded_leaves_no_variable_behind(monkeypatch):
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    with allocator.preloaded("/usr/lib/libtcmalloc_minimal.so.4"):
        assert os.environ["LD_PRELOAD"] == "/usr/lib/libtcmalloc_minimal.so.4"
        allocator.forget("/usr/lib/libtcmalloc_minimal.so.4")
        assert "LD_PRELOAD" not in os.environ
    assert "LD_PRELOAD" not in os.environ
    with allocator.preloaded(None):
        assert "LD_PRELOAD" not in os.environ
