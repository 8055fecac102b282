"""`tuscan run`'s config (tuscan/pipeline.py, examples/tuscan.toml) and running it without Prefect."""

from __future__ import annotations

import subprocess
import sys

import lxml.html
import pytest
from click.testing import CliRunner

from tuscan import example, steps
from tuscan.archive.load import ScanOptions
from tuscan.cli import main
from tuscan.errors import TuscanError
from tuscan.pipeline import (
    EXAMPLE_CONFIG,
    ConfigError,
    ConfigNotFound,
    example_config,
    load_config,
)

EXAMPLE_ARCHIVE = example.archive()


def _config(tmp_path, text: str):
    path = tmp_path / "tuscan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_example_config():
    config = load_config(EXAMPLE_CONFIG)
    assert config.archives == (EXAMPLE_ARCHIVE,)
    assert config.db == EXAMPLE_CONFIG.parent / "inventory.duckdb"
    assert config.html == EXAMPLE_CONFIG.parent / "tuscan-report.html"
    assert config.kitos is None and config.website is None


def test_no_config_is_the_example_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert config == example_config()
    assert config.archives == (EXAMPLE_ARCHIVE,) and config.html.name == "tuscan-report.html"


def test_full_config(tmp_path):
    (tmp_path / "arkiv").mkdir()
    (tmp_path / "kitos.xlsx").write_bytes(b"")
    config = load_config(_config(tmp_path, """
db = "data/inv.duckdb"
archives = ["arkiv"]
[kitos]
files = ["kitos.xlsx"]
[kitos.api]
url = "https://kitos.dk"
cvr = 29189846
[website]
url = "https://www.korsbaek.dk"
max_pages = 50
documents = true
allow_domains = ["korsbaek.dk"]
[report]
html = "ud/rapport.html"
xlsx = ""
"""))
    assert config.db == tmp_path / "data" / "inv.duckdb"
    assert config.archives == (tmp_path / "arkiv",)
    assert config.kitos.files == (tmp_path / "kitos.xlsx",) and config.kitos.cvr == "29189846"
    assert (config.website.url, config.website.max_pages, config.website.max_depth) == ("https://www.korsbaek.dk", 50, None)
    assert config.website.documents is True and config.website.allow_domains == ("korsbaek.dk",)
    assert config.html == tmp_path / "ud" / "rapport.html" and config.xlsx is None


@pytest.mark.parametrize("text,error,message", [
    ("archives = [", ConfigError, "not valid TOML"),
    ("colour = 'red'", ConfigError, "unknown setting(s): colour"),
    ("archives = ['nowhere']", ConfigError, "does not exist"),
    ("[website]\nurl = 'https://x.dk'\nmax_pages = '10'", ConfigError, "website.max_pages must be int"),
    ("[website]\nmax_pages = 10", ConfigError, "[website] needs url"),
    ("[kitos.api]\nurl = 'https://kitos.dk'\ncvr = '1'\npassword = 'hemmelig'", ConfigError,
     "credentials are read from the environment"),
    ("[kitos.api]\nurl = 'https://kitos.dk'", ConfigError, "needs both url and cvr"),
    ("[report]\npdf = 'x.pdf'", ConfigError, "unknown setting(s) in [report]: pdf"),
])
def test_config_errors(tmp_path, text, error, message):
    with pytest.raises(error) as info:
        load_config(_config(tmp_path, text))
    assert message in str(info.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigNotFound, match="no such config file"):
        load_config(tmp_path / "nope.toml")
    result = CliRunner().invoke(main, ["run", "--config", str(tmp_path / "nope.toml"), "--no-prefect"])
    assert result.exit_code == 1 and "Error: " in result.output and "no such config file" in result.output


def test_kitos_api_credentials_come_only_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("KITOS_EMAIL", raising=False)
    monkeypatch.delenv("KITOS_PASSWORD", raising=False)
    config = load_config(_config(tmp_path, "[kitos.api]\nurl = 'https://kitos.example'\ncvr = '29189846'\n"
                                           "[report]\nhtml = ''\nxlsx = ''"))
    with pytest.raises(TuscanError, match="KITOS_EMAIL"):
        steps.run_steps(steps.pipeline(config, ScanOptions()))


def test_run_without_prefect(tmp_path):
    config_path = _config(tmp_path, f"""
db = "inventory.duckdb"
archives = ["{EXAMPLE_ARCHIVE.as_posix()}"]
[report]
html = "rapport.html"
xlsx = "rapport.xlsx"
""")
    result = CliRunner().invoke(main, ["run", "--config", str(config_path), "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "own" in result.output
    assert (tmp_path / "inventory.duckdb").exists() and (tmp_path / "rapport.xlsx").exists()
    doc = lxml.html.document_fromstring((tmp_path / "rapport.html").read_text(encoding="utf-8"))
    assert doc.get_element_by_id("n-own").find_class("num")[0].text == "4"


def test_output_modules_do_not_import_prefect():
    code = ("import sys; import tuscan.queries, tuscan.report, tuscan.report.html, tuscan.report.xlsx, "
            "tuscan.share, tuscan.aggregate, tuscan.pipeline, tuscan.labels; "
            "assert 'prefect' not in sys.modules, 'prefect imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
