"""Flows started by the CLI send no Prefect heartbeats unless the user configured them: Prefect's
heartbeat thread sleeps in one-second steps and the engine waits for it when the flow ends, 0–1 s
on every command (tuscan/cli/heartbeats.py)."""

from __future__ import annotations

from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings

from tuscan.cli.heartbeats import heartbeats_configured, without_unrequested_heartbeats


@flow
def frequency_seen_by_the_engine() -> int | None:
    # The flow engine reads this setting when the run starts; None starts no heartbeat thread.
    return get_current_settings().flows.heartbeat_frequency


def test_prefect_sends_heartbeats_by_default():
    """What the CLI works around: without configuration Prefect's default is a heartbeat thread."""
    assert not heartbeats_configured()
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_cli_flows_run_without_heartbeats(prefect_harness):
    with without_unrequested_heartbeats():
        assert frequency_seen_by_the_engine() is None
    assert get_current_settings().flows.heartbeat_frequency is not None   # restored afterwards


def test_a_configured_frequency_is_kept(prefect_harness):
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):
        assert heartbeats_configured()
        with without_unrequested_heartbeats():
            assert frequency_seen_by_the_engine() == 60
