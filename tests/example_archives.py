"""The example archives with generators of their own (examples/esdh, examples/flat): loaded from
their files, generated into a tmp folder and scanned the way `tuscan discover` scans."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tuscan import db
from tuscan.steps import run_discover


def load_generator(path: Path, name: str):
    """The generator module at `path` (registered in sys.modules: its dataclasses need that)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def scan_generated(generator, root: Path, folder: str) -> tuple[dict, dict, Path]:
    """Generate into root/folder, scan it; (findings by path, inventory rows by system, database)."""
    generator.generate(root / folder)
    path = root / "inventory.duckdb"
    run_discover([str(root / folder)], str(path), runner="inline")
    with db.reading(str(path)) as con:
        findings = {r[0]: {"status": r[1], "tu_evidence": r[2], "system": r[3]} for r in
                    con.execute("SELECT path, status, tu_evidence, system FROM document_findings").fetchall()}
        cols = [d[0] for d in con.execute("SELECT * FROM inventory LIMIT 0").description]
        inventory = {r[0]: dict(zip(cols, r, strict=True)) for r in con.execute("SELECT * FROM inventory").fetchall()}
    return findings, inventory, path
