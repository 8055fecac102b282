"""Progress on long scans: a one-line counter on a terminal, a line every few seconds otherwise."""

from __future__ import annotations

import sys
import time

from tuscan.archive.scan import ScanSummary
from tuscan.archive.walk import FileRef


class ScanProgress:
    """Callable passed to `scan(progress=…)`; writes to stderr so stdout stays machine-readable."""

    def __init__(self, stream=None, interval: float | None = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = interval if interval is not None else (0.2 if self.tty else 10.0)
        self.last: float | None = None   # the first call always writes
        self.started = time.monotonic()
        self.written = ""   # the last line written (a log gets the final line only once)

    def line(self, s: ScanSummary) -> str:
        elapsed = time.monotonic() - self.started
        errors = s.read_errors + s.by_status.get("error", 0)
        # Hits found again from stored text after a keyword-file change (tuscan.refind).
        refound = f" · re-searched {s.refound}" if s.refound else ""
        return (f"files {s.files_seen} (new {s.extracted}, known {s.linked + s.unchanged}) · "
                f"pages {s.pages} · errors {errors}{refound} · {elapsed:.0f}s")

    def __call__(self, summary: ScanSummary, ref: FileRef | None) -> None:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        self.written = self.line(summary)
        if self.tty:
            self.stream.write("\r" + self.written[:150].ljust(100))
        else:
            self.stream.write(self.written + "\n")
        self.stream.flush()

    def done(self, summary: ScanSummary) -> None:
        final = self.line(summary)
        if self.tty:
            self.stream.write("\r" + " " * 100 + "\r")
        elif final == self.written:
            return
        self.stream.write(final + "\n")
        self.stream.flush()
