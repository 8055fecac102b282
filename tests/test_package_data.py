"""Every data file the code reads at run time ships with a plain (non-editable) `pip install`: each
file git tracks in a package folder, other than Python, matches a `package-data` pattern of
pyproject.toml. (A file that does not is missing from the wheel, and `tuscan run` fails after
`pip install .` although every test passes in a checkout.)"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import PurePosixPath

from tests.conftest import REPO

PACKAGES = ("tuscan", "extractors", "flows", "spiders", "sql", "reference")
NOT_SHIPPED = {"tuscan/serve/static/README.md"}   # notes for developers, read by nobody at run time


def _patterns() -> dict[str, list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _shipped(path: str, patterns: dict[str, list[str]]) -> bool:
    for package, globs in patterns.items():
        folder = package.replace(".", "/") + "/"
        if path.startswith(folder):
            inside = PurePosixPath(path[len(folder):])
            if any(inside.match(g) or (g.endswith("/**/*") and str(inside).startswith(g[:-5] + "/"))
                   for g in globs):
                return True
    return False


def test_every_data_file_is_package_data():
    tracked = subprocess.run(["git", "ls-files", *PACKAGES], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split("\n")
    data = [p for p in tracked if p and not p.endswith(".py") and p not in NOT_SHIPPED
            and p != "tuscan/example/data"]      # the link to examples/, shipped by its own patterns
    patterns = _patterns()
    missing = [p for p in data if not _shipped(p, patterns)]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"


def test_the_check_sees_a_missing_file():
    assert not _shipped("reference/new_list.xml", _patterns())
    assert _shipped("reference/kl_shared_tu.csv", _patterns())
