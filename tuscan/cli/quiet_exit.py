"""Keep DuckDB's binding layer quiet at interpreter exit after a Prefect flow.

After a flow has run, Prefect's background threads keep objects alive until the interpreter tears
down its modules; DuckDB's bindings (nanobind) then print dozens of "leaked instance" lines to
stderr. They are harmless, but a user reading them would think the run went wrong. Once the command
has printed everything it has to say, stderr is pointed at /dev/null for the rest of the exit
(including Prefect's "stopping temporary server" line).
"""

from __future__ import annotations

import atexit
import os
import sys


def _redirect_stderr() -> None:
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def silence_interpreter_teardown() -> None:
    atexit.register(_redirect_stderr)
