"""`tuscan serve`: the local web app where a contract manager reviews the inventory and a DPO follows
each own TU-solution through KL's checklist (Delrapport 1, "Tjekliste for egne løsninger").

Server-rendered pages in Danish (Starlette, which comes with Prefect, and Jinja2 with autoescape on:
everything from documents, web pages and KITOS is text, never markup). The few interactive touches
use htmx, vendored under `static/` with its version in the file name, so the app works without a
network. The database is opened per request — read-only for pages, a short write for a form — so a
`tuscan discover` can run between requests; while another process writes, pages say so and a form is
refused with a message, never dropped silently.

Safety: it binds 127.0.0.1 unless told otherwise, and any other address needs an access secret
(`--password` or TUSCAN_SERVE_PASSWORD); every form carries a CSRF token; cookies are HttpOnly and
SameSite=Strict; a strict Content-Security-Policy allows only the app's own script and style files;
the document route serves only files tuscan stored, resolved inside their scanned root.
"""

from __future__ import annotations

import ipaddress
import os

from tuscan.errors import TuscanError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PASSWORD_ENV = "TUSCAN_SERVE_PASSWORD"


class ServeRefused(TuscanError):
    """`tuscan serve` will not start with these settings (an open address without an access secret)."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost' (nothing else on the network can reach them)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_secret(password: str | None) -> str | None:
    """The access secret: --password, else $TUSCAN_SERVE_PASSWORD, else none."""
    secret = password if password is not None else os.environ.get(PASSWORD_ENV)
    return secret or None


def check_bind(host: str, secret: str | None) -> None:
    """Refuse an address other machines can reach unless an access secret guards the app."""
    if not is_loopback(host) and not secret:
        raise ServeRefused(
            f"refusing to listen on {host}: other machines could reach the inventory there. Give an access"
            f" secret with --password or the environment variable {PASSWORD_ENV}, or keep the default"
            f" --host {DEFAULT_HOST}.")


def serve(db: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, password: str | None = None) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    from tuscan.serve.app import LOOPBACK_NAMES, create_app

    secret = access_secret(password)
    check_bind(host, secret)
    app = create_app(db, password=secret, hosts=LOOPBACK_NAMES | {host})
    uvicorn.run(app, host=host, port=port, log_level="warning",
                server_header=False, date_header=False)
