"""The `tuscan` command: thin wrappers over library functions of the same name.

Each command group lives in its own module and registers on `main` below; shared options
(`--db`, `--format`) are defined once in `tuscan.cli.options` so flags are identical everywhere.
Only this layer turns named errors (`tuscan.errors`) into a message and an exit code:
0 the command finished (a discover that could not read some files still finished),
1 the command failed, 2 a usage error (click's own).
"""

from __future__ import annotations

import os
import signal
import sys

import click

from tuscan.display import terminal_safe
from tuscan.errors import TuscanError

# tuscan sends nothing anywhere the user did not point it at: Prefect's own telemetry stays off.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def _loopback_without_proxy() -> None:
    """tuscan's own connections to this machine (a Prefect server, a local KITOS or test site) never
    go through a proxy: municipal networks set http_proxy with an empty no_proxy, and the proxy then
    answers 502 for 127.0.0.1. Sites the crawler visits elsewhere still use the proxy."""
    loopback = ["127.0.0.1", "localhost", "::1"]
    for name in ("no_proxy", "NO_PROXY"):
        present = [h.strip() for h in os.environ.get(name, "").split(",") if h.strip()]
        os.environ[name] = ",".join(present + [h for h in loopback if h not in present])


_loopback_without_proxy()


def _terminate(signum, frame):
    # A SIGTERM (a scheduler stopping the job) ends the run like Ctrl-C: the run is recorded as
    # interrupted at once, and the next run continues where this one stopped.
    raise KeyboardInterrupt


class TuscanGroup(click.Group):
    """Turns TuscanError into "Error: …" on stderr and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except TuscanError as exc:
            click.echo(f"Error: {terminal_safe(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted. Everything stored so far is kept; the next run continues from there.", err=True)
            ctx.exit(130)


@click.group(cls=TuscanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tuscan")
def main() -> None:
    """Find a Danish municipality's TU-solutions (IT systems reached with NemID/MitID or
    medarbejdersignatur/MitID Erhverv through NemLog-in) and sort them into own, shared and
    common public.

    \b
    Example:
        tuscan discover contracts/ --db inventory.duckdb
        tuscan query own_needing_risk_assessment
    """


def _register() -> None:
    # Each module adds its commands to `main`; the list is explicit and tests/test_cli_docs.py
    # checks every command is registered and documented.
    from tuscan.cli import crawl, discover, kitos, lists, outputs, serve  # noqa: F401


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
