"""Running the optional system tools that read legacy formats (antiword, catdoc, catppt).

Each tool gets the file as a temporary file in a private directory (catppt cannot read a pipe),
runs without a shell, with a timeout and a small environment, and its output is decoded as UTF-8.
A missing tool is `NoReader` with the Debian package that provides it, like OCR without tesseract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from extractors.base import ExtractorError, NoReader

__all__ = ["ToolFailed", "available", "run_tool"]


class ToolFailed(ExtractorError):
    """The tool ran but exited with an error; the message is its last line of output."""


def available(tool: str) -> bool:
    return shutil.which(tool) is not None


def run_tool(tool: str, args: list[str], data: bytes, suffix: str, what: str, package: str,
             timeout: float) -> str:
    """Run `tool *args FILE` on `data` and return its standard output as text."""
    exe = shutil.which(tool)
    if exe is None:
        raise NoReader(what, f"{tool} (apt-get install {package})")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    with tempfile.TemporaryDirectory(prefix="tuscan-") as folder:
        path = os.path.join(folder, "input" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            proc = subprocess.run([exe, *args, path], capture_output=True, timeout=timeout, env=env,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExtractorError(f"{tool} timed out after {timeout:g} s reading the {what}") from exc
        except OSError as exc:
            raise NoReader(what, f"{tool} (apt-get install {package}); it could not be started: {exc}") from exc
    out = proc.stdout.decode("utf-8", errors="replace")
    if proc.returncode != 0:
        message = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit code {proc.returncode}"])
        raise ToolFailed(f"{tool}: {message[-1].replace(path, 'the file')}")
    return out
