"""A hand-built municipal website (fictitious Korsbæk Kommune) and the HTTP proxy that serves it.

`site.build_site()` returns the hosts and pages; `proxy.FixtureProxy` serves them on 127.0.0.1 as
an HTTP proxy that answers by host name, so real host names work without DNS and nothing leaves
the machine. See tests/test_crawl_spider.py for how the crawler is pointed at it.
"""
