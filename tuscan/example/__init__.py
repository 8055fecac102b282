"""The bundled example municipality, the fictional Korsbæk Kommune: its contract archive and its
`tuscan.toml`, shipped as package data so `tuscan run` works from any folder after a plain
`pip install` (the data is `examples/` of the repository; `examples/generate.py` writes it).
"""

from __future__ import annotations

from pathlib import Path

DATA = (Path(__file__).resolve().parent / "data").resolve()   # the link to examples/, resolved


def archive() -> Path:
    """The example contract archive (read-only: scans never write into it)."""
    return DATA / "archive"


def config() -> Path:
    """The example's `tuscan.toml`."""
    return DATA / "tuscan.toml"
