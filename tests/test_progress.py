"""The progress line of long scans (written to stderr; a log gets one line per interval)."""

from __future__ import annotations

import io

from tuscan.archive.scan import ScanSummary
from tuscan.progress import ScanProgress


def test_log_lines_count_files_and_re_searched_contents_and_end_once():
    stream = io.StringIO()
    progress = ScanProgress(stream, interval=0)
    summary = ScanSummary(run_id=1, files_seen=40, extracted=30, unchanged=10, pages=120)
    progress(summary, None)
    summary.refound = 7
    progress(summary, None)
    progress.done(summary)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("files 40 (new 30, known 10) · pages 120 · errors 0 · ")
    assert "re-searched" not in lines[0]
    assert "· re-searched 7 ·" in lines[1]
    assert len(lines) == 2          # done() does not repeat the line the log already has


def test_done_writes_the_final_line_when_it_differs():
    stream = io.StringIO()
    progress = ScanProgress(stream, interval=3600)
    summary = ScanSummary(run_id=1, files_seen=1, extracted=1, pages=1)
    progress(summary, None)          # the first call always writes
    summary.files_seen = summary.extracted = 2
    progress(summary, None)          # within the interval: not written
    progress.done(summary)
    lines = stream.getvalue().splitlines()
    assert [line.split(" · ")[0] for line in lines] == ["files 1 (new 1, known 0)", "files 2 (new 2, known 0)"]
