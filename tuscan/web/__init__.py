"""The municipality's website as a source: crawl results → tables → candidates.

The crawl itself is a Scrapy project in `spiders/`, run in a subprocess by `flows/crawl.py` (the
Twisted reactor cannot be restarted in one process). It writes JSON lines; `tuscan.web.load` is the
one writer that stores them; `tuscan.web.verify` decides whether a response is a NemLog-in/MitID
login; `tuscan.web.candidates` turns stored links into systems for `tuscan.classify`.
"""
