"""`tuscan serve`: the local web app over the inventory (tuscan.serve)."""

from __future__ import annotations

import click

from tuscan.cli import main
from tuscan.cli.options import db_option
from tuscan.serve import DEFAULT_HOST, DEFAULT_PORT, PASSWORD_ENV


@main.command()
@db_option
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on. Anything but a loopback address needs --password.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--password", default=None, metavar="SECRET",
              help=f"Access secret people must give to sign in [default: ${PASSWORD_ENV}, else none].")
def serve(db: str, host: str, port: int, password: str | None) -> None:
    """Open the web app (Danish) where a contract manager reviews systems and records decisions and
    a DPO follows each own TU-solution through KL's checklist.

    It listens on 127.0.0.1 only, unless --host names another address and an access secret is given
    (--password or the environment variable TUSCAN_SERVE_PASSWORD). The database is opened per
    request, so `tuscan discover` can run meanwhile; while it writes, the app says so and refuses
    changes until it is done.

    \b
    Example:
        tuscan serve --db inventory.duckdb
        TUSCAN_SERVE_PASSWORD=… tuscan serve --host 0.0.0.0 --port 8765
    """
    from tuscan.serve import access_secret, check_bind
    from tuscan.serve import serve as run_app

    check_bind(host, access_secret(password))
    click.echo(f"tuscan serve: http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl-C stops it)")
    run_app(db, host=host, port=port, password=password)
