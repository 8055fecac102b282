"""The `tuscan discover` / `classify` / `decide` commands as a user runs them."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from tuscan.cli import main


def make_archive(root):
    (root / "Parkeringsfirmaet" / "Korsbæk Parkering").mkdir(parents=True)
    (root / "Parkeringsfirmaet" / "Korsbæk Parkering" / "Kontrakt.txt").write_text("Borgerne logger ind med MitID.", "utf-8")
    (root / "Parkeringsfirmaet" / "Korsbæk Parkering" / "Bilag.pdf").write_bytes(b"%PDF-1.4 truncated")
    (root / "tom.txt").write_bytes(b"")
    return root


def test_discover_lists_unreadable_files_and_exits_0(tmp_path):
    archive = make_archive(tmp_path / "arkiv")
    db = tmp_path / "inventory.duckdb"
    result = CliRunner().invoke(main, ["discover", str(archive), "--db", str(db), "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert "Could not be read:" in result.output
    assert "Parkeringsfirmaet/Korsbæk Parkering/Bilag.pdf" in result.output and "tom.txt" in result.output
    assert "with TU evidence" in result.output
    assert db.exists()


def test_discover_of_a_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["discover", str(tmp_path / "findes-ikke"), "--db", str(tmp_path / "i.duckdb"),
                                       "--no-prefect"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert not (tmp_path / "i.duckdb").exists()


def test_classify_and_decide(tmp_path):
    archive = make_archive(tmp_path / "arkiv")
    db = str(tmp_path / "inventory.duckdb")
    runner = CliRunner()
    assert runner.invoke(main, ["discover", str(archive), "--db", db, "--no-prefect"]).exit_code == 0
    result = runner.invoke(main, ["classify", "--db", db])
    assert result.exit_code == 0 and result.output.startswith("Classified 1 systems (own 1)")
    result = runner.invoke(main, ["decide", "korsbæk parkering", "--category", "shared", "--note", "KL-liste",
                                  "--by", "dpo", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Recorded: Korsbæk Parkering → shared (by dpo)"
    result = runner.invoke(main, ["decide", "Findes ikke", "--category", "own", "--db", db])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no system called 'Findes ikke' in the inventory.")


def test_python_dash_m_tuscan_runs():
    out = subprocess.run([sys.executable, "-m", "tuscan", "--help"], capture_output=True, text=True, check=True)
    assert "discover" in out.stdout
