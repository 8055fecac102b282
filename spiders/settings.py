"""Scrapy settings for the tuscan crawler: polite and bounded by default.

The crawler visits a public authority's website on its behalf, so it identifies itself, obeys
robots.txt, keeps one or two requests in flight per site, backs off when the site slows down and
never stores cookies (it must not log in anywhere). Run-specific values (output file, limits,
contact) are set by `spiders/run.py`. Reference: https://docs.scrapy.org/en/latest/topics/settings.html
"""

BOT_NAME = "tuscan"

SPIDER_MODULES = ["spiders.municipality"]
NEWSPIDER_MODULE = "spiders"

# Who we are and how to reach the person running the crawl: run.py appends `--contact`.
USER_AGENT = "tuscan/0.1 (TU-solution inventory crawler for a Danish municipality)"

# Obey robots.txt rules — also on the hosts of link targets checked once (verification).
ROBOTSTXT_OBEY = True

# Politeness: few requests in flight per site, a delay between them, adapted to the site's speed.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Bounds: a slow or huge response is given up on, not waited for.
DOWNLOAD_TIMEOUT = 20               # seconds
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bytes, per response (documents have their own cap)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 5
# A safety net on top of the page/depth limits the spider enforces itself (see municipality.py:
# DEPTH_LIMIT is not used because a verification request one hop beyond the deepest page must pass).
CLOSESPIDER_TIMEOUT = 3600

# Never log in, never carry a session between sites.
COOKIES_ENABLED = False

# No Telnet console on a municipal network.
TELNETCONSOLE_ENABLED = False

# Proxies: Scrapy's HttpProxyMiddleware (enabled by default) honours http_proxy/https_proxy/no_proxy.

ITEM_PIPELINES = {
    "spiders.pipelines.JsonLinesPipeline": 300,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Optional, off by default:
# HTTPCACHE_ENABLED = True   # https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#httpcache-middleware-settings
