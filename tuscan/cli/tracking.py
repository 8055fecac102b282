"""Whether a command runs as a Prefect flow (tracked in the Prefect UI) or as plain steps.

The command line runs the same steps either way (`tuscan.steps`). Measured on the 2-core test
machine: plain steps start in about half a second; a flow against a running Prefect server adds
~1.5–2 s (importing Prefect, creating the flow run); with no server configured Prefect starts a
temporary one for every command, which took 12–15 s, and timed out after minutes on a loaded
machine. So:

- `--prefect`: always a flow (a temporary server if none is configured);
- `--no-prefect`: always plain steps;
- neither: a flow when a Prefect API is configured (PREFECT_API_URL in the environment or the active
  Prefect profile) and answers its health check within a few seconds; otherwise plain steps, with a
  one-line note on stderr. A slow or absent server never makes the command fail.

Looking up the setting reads the profile file directly, so a plain run never imports Prefect.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import click

HEALTH_TIMEOUT = 3.0


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment, else from the active profile in $PREFECT_HOME."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles_file = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        data = tomllib.loads(profiles_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = data.get("profiles", {}).get(active, {})
    url = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    return url if isinstance(url, str) and url else None


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def answers(url: str, timeout: float = HEALTH_TIMEOUT) -> bool:
    """The Prefect API at `url` answers its health check (loopback never through a proxy)."""
    handlers = [urllib.request.ProxyHandler({})] if is_loopback(url) else []
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(url.rstrip("/") + "/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def use_prefect(choice: bool | None) -> bool:
    """The decision described in the module docstring; `choice` is --prefect (True), --no-prefect
    (False) or neither (None)."""
    if choice is not None:
        return choice
    url = configured_api_url()
    if url is None:
        return False
    if answers(url):
        return True
    click.echo(f"Note: the Prefect API at {url} does not answer; running without flow-run tracking.", err=True)
    return False


prefect_option = click.option(
    "--prefect/--no-prefect", "prefect", default=None,
    help="Run as a Prefect flow (tracked in the Prefect UI) or as plain steps. Default: a flow when a"
         " Prefect API is configured (PREFECT_API_URL) and answers, else plain steps.")
