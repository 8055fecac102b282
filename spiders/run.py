"""Run the municipality spider in this process: `python -m spiders.run URL --out crawl.jsonl …`.

`flows/crawl.py` starts this as a subprocess, because the Twisted reactor cannot be restarted in
one process. Settings come from `spiders/settings.py`, then the command line (limits, contact,
and `--set NAME=VALUE` overrides, used by the tests to switch off delays).
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from spiders.municipality import MunicipalitySpider


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m spiders.run", description=__doc__.splitlines()[0])
    parser.add_argument("start_url")
    parser.add_argument("--out", required=True, help="JSON-lines file the items are appended to")
    parser.add_argument("--max-pages", type=int, default=200)
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--allow-domain", action="append", default=[], help="a further domain to crawl")
    parser.add_argument("--documents", action="store_true", help="download linked PDF/DOCX files")
    parser.add_argument("--document-dir", default=None)
    parser.add_argument("--document-max-bytes", type=int, default=20 * 1024 * 1024)
    parser.add_argument("--contact", default=None, help="e-mail or URL of whoever runs the crawl (User-Agent)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (value parsed as JSON when it can be)")
    return parser.parse_args(argv)


def build_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("TUSCAN_OUTPUT", args.out, priority="cmdline")
    if args.contact:
        settings.set("USER_AGENT", f"{settings.get('USER_AGENT')[:-1]}; +{args.contact})", priority="cmdline")
    for item in args.set:
        name, _, value = item.partition("=")
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        settings.set(name.strip(), parsed, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.documents and not args.document_dir:
        print("--documents needs --document-dir", file=sys.stderr)
        return 2
    process = CrawlerProcess(build_settings(args), install_root_handler=True)
    process.crawl(
        MunicipalitySpider,
        start_url=args.start_url,
        allow_domains=",".join(args.allow_domain),
        max_pages=args.max_pages,
        max_depth=args.max_depth,
        documents=args.documents,
        document_dir=args.document_dir,
        document_max_bytes=args.document_max_bytes,
    )
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
