"""Item pipeline: every item becomes one JSON line in the file named by the TUSCAN_OUTPUT setting.

The crawl runs in a subprocess and never touches the database; the parent process (the one writer)
loads the file with `tuscan.web.load`, and tails it meanwhile to show progress. Lines are flushed
one by one so a killed crawl leaves whole lines behind.
"""

from __future__ import annotations

import json
from dataclasses import asdict


class JsonLinesPipeline:
    def __init__(self, path: str):
        self.path = path
        self.file = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("TUSCAN_OUTPUT") or "crawl.jsonl")

    def open_spider(self, spider=None):
        self.file = open(self.path, "a", encoding="utf-8")

    def close_spider(self, spider=None):
        if self.file:
            self.file.close()

    def process_item(self, item, spider=None):
        record = {"item": type(item).__name__, **asdict(item)}
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.file.flush()
        return item
