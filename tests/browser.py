"""The headless browser the browser tests drive: Debian's chromium through Playwright (never a
browser Playwright downloads), with a page that collects script errors so a test can assert none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
# --disable-background-networking: the machine has no network, and chromium's own connections are refused.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
needs_chromium = [pytest.mark.slow,
                  pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")]


def launched(sync_api):
    """A context manager yielding a launched browser (module-scoped fixtures wrap it)."""
    class _Launch:
        def __enter__(self):
            self.playwright = sync_api.sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            return self.browser

        def __exit__(self, *exc):
            self.browser.close()
            self.playwright.stop()

    return _Launch()


def watched_page(browser, **context_options):
    """A new page whose `errors` list collects uncaught script errors (and console errors)."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(f"{msg.text} {msg.location}") if msg.type == "error" else None)
    return page
