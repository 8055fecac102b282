"""Commands that need no flow must not import Prefect (importing it costs ~0.7 s, and a flow run
without PREFECT_API_URL starts a temporary server, ~10 s): outputs, decisions, and the scanning
commands when no Prefect server is configured (tuscan.cli.tracking). Each command runs for real in a
fresh interpreter; when Prefect gets imported, the failure names the import chain that pulled it in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

# Runs one command in-process and reports whether (and from where) prefect was imported. A meta-path
# finder sees the first `import prefect` and records the repository frames on the stack: the chain.
PROBE = r"""
import json, os, sys, traceback

chain = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if (name == "prefect" or name.startswith("prefect.")) and not chain:
            repo = os.environ["TUSCAN_REPO"]
            chain.extend(f"{os.path.relpath(f.filename, repo)}:{f.lineno}: {f.line}"
                         for f in traceback.extract_stack()[:-1]
                         if f.filename.startswith(repo) and "/.venv/" not in f.filename)
        return None

sys.meta_path.insert(0, Watch())
if os.environ.get("PROBE_ALSO_IMPORT"):
    __import__(os.environ["PROBE_ALSO_IMPORT"])
import tuscan.cli

try:
    tuscan.cli.main.main(args=json.loads(sys.argv[1]), prog_name="tuscan", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("PROBE " + json.dumps({"code": code, "prefect": "prefect" in sys.modules, "chain": chain}))
"""


def probe(args: list[str], cwd, also_import: str = "") -> dict:
    env = {"PATH": "/usr/bin:/bin", "TUSCAN_REPO": str(REPO), "PYTHONPATH": str(REPO), "HOME": str(cwd),
           "PROBE_ALSO_IMPORT": also_import}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("PROBE ")), None)
    assert line, f"probe did not finish:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return json.loads(line[len("PROBE "):])


COMMANDS = [
    ["--help"],
    ["query", "--list"],
    ["query", "own_needing_risk_assessment", "--db", "{db}", "--format", "json"],
    ["decide", "Korsbæk Parkering", "--category", "own", "--note", "test", "--db", "{db}"],
    ["classify", "--db", "{db}"],
    ["report", "--html", "{tmp}/report.html", "--db", "{db}"],
    ["share", "--municipality", "Korsbæk Kommune", "--code", "999", "--out", "{tmp}/share.parquet", "--db", "{db}"],
    ["discover", "--help"],
    # Without a Prefect server configured, the scanning commands run their steps without Prefect too.
    ["discover", "{tmp}", "--db", "{tmp}/new.duckdb"],
    ["discover", "{tmp}", "--db", "{tmp}/new.duckdb", "--no-prefect"],
    ["run", "--no-prefect"],
    ["run"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(a for a in c if not a.startswith("{"))[:40])
def test_command_does_not_import_prefect(command, example_db_copy, tmp_path):
    args = [a.format(db=example_db_copy, tmp=tmp_path) for a in command]
    result = probe(args, tmp_path)
    assert not result["prefect"], ("`tuscan " + " ".join(command) + "` imported prefect via:\n  "
                                   + "\n  ".join(result["chain"]))
    assert result["code"] in (0, None), f"`tuscan {' '.join(command)}` exited {result['code']}"


def test_probe_sees_a_prefect_import(tmp_path):
    """The probe can fail: importing the discover flow's module imports Prefect, and the chain says so."""
    result = probe(["--help"], tmp_path, also_import="flows.discover")
    assert result["prefect"]
    assert any(step.startswith("flows/discover.py:") for step in result["chain"]), result["chain"]
