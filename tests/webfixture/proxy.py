"""An HTTP proxy on 127.0.0.1 that serves fixture hosts by name and refuses everything else.

With ``http_proxy=http://127.0.0.1:PORT`` a client sends absolute-URI requests
(``GET http://www.korsbaek.dk/ HTTP/1.1``); the proxy answers from its configured hosts, never
opens a connection anywhere, and logs every request. Requests for hosts it does not know get
``502 Bad Gateway`` (what a real proxy answers for an unreachable host) and are logged as refused;
CONNECT (HTTPS tunnels) is refused the same way.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Page:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0          # seconds before answering (a slow host)

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Host:
    pages: dict[str, Page] = field(default_factory=dict)   # path (with query) → page
    delay: float = 0.0                                      # every answer from this host is slow


@dataclass
class Seen:
    method: str
    host: str
    path: str
    user_agent: str
    answered: int


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gives up (download timeout, size cap) resets the connection: expected here.
        pass


class FixtureProxy:
    """`with FixtureProxy(hosts) as proxy:` — serves until the block ends. `proxy.url` is the
    value for http_proxy; `proxy.requests` every request, `proxy.refused` the refused ones."""

    def __init__(self, hosts: dict[str, Host]):
        self.hosts = hosts
        self.requests: list[Seen] = []
        self.refused: list[Seen] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_CONNECT(self):
                proxy._record(self, "CONNECT", self.path, "", 405, refused=True)
                self._send(405, b"CONNECT is not supported by the fixture proxy", "text/plain", {})

            def do_HEAD(self):
                self.do_GET(head=True)

            def do_GET(self, head: bool = False):
                target = urlsplit(self.path)
                host = (target.hostname or self.headers.get("Host", "").split(":")[0]).lower()
                path = (target.path or "/") + (f"?{target.query}" if target.query else "")
                if not self.path.startswith("http://"):
                    path = self.path
                known = proxy.hosts.get(host)
                if known is None:
                    proxy._record(self, self.command, path, host, 502, refused=True)
                    self._send(502, b"Bad Gateway: unknown host (fixture proxy)", "text/plain", {})
                    return
                page = known.pages.get(path)
                if page is None:
                    page = Page("<html><body><h1>Siden findes ikke</h1></body></html>", status=404)
                proxy._record(self, self.command, path, host, page.status)
                delay = page.delay or known.delay
                if delay:
                    time.sleep(delay)
                self._send(page.status, page.payload(), page.content_type, page.headers, head=head)

            def _send(self, status, body, content_type, headers, head=False):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if not head:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _record(self, handler, method, path, host, status, refused=False):
        seen = Seen(method, host, path, handler.headers.get("User-Agent", ""), status)
        with self._lock:
            self.requests.append(seen)
            if refused:
                self.refused.append(seen)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self, host: str) -> list[str]:
        return [s.path for s in self.requests if s.host == host]

    def __enter__(self) -> FixtureProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def proxied(hosts: dict[str, Host], no_proxy: str = "") -> Iterator[FixtureProxy]:
    """Serve `hosts` and point http_proxy/https_proxy (both spellings) at the proxy, with no
    no_proxy exceptions (unless given: the Prefect test exempts its local API server on
    127.0.0.1), for this process and the crawler subprocesses it starts."""
    names = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy",
             "ALL_PROXY")
    saved = {name: os.environ.get(name) for name in names}
    with FixtureProxy(hosts) as proxy:
        for name in names:
            if "no_proxy" in name.lower():
                os.environ[name] = no_proxy
            else:
                os.environ[name] = "" if "all_proxy" in name.lower() else proxy.url
        try:
            yield proxy
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
