"""Flow runs started from the command line send no Prefect heartbeats unless asked to.

Prefect (3.9) emits a heartbeat event for every flow run, by default every 180 s, from a thread
that sleeps in one-second steps; when the flow ends, the engine waits for that thread's current
step. That added 0–1 s to every `tuscan discover`, `crawl` and `run`: 0.7 s by the median of an
A/B comparison (bench/results.md, notes of 2026-12-01). Heartbeats exist to detect crashed runs of
deployments (Prefect's "detect zombie flows" guide, which asks for PREFECT_FLOWS_HEARTBEAT_FREQUENCY
to be set); a command-line run reports its own end in the terminal. Deployment runs (prefect.yaml,
started by a Prefect worker) do not go through this module and keep their heartbeats, and a user who
sets the frequency gets them here too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


def heartbeats_configured() -> bool:
    """Whether the user set a heartbeat frequency: in the environment, the active Prefect profile,
    prefect.toml or pyproject.toml (any source Prefect reads its settings from)."""
    from prefect.settings import get_current_settings

    return "heartbeat_frequency" in get_current_settings().flows.model_fields_set


@contextlib.contextmanager
def without_unrequested_heartbeats() -> Iterator[None]:
    """Run the flows inside with heartbeats off, unless the user configured them."""
    if heartbeats_configured():
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
