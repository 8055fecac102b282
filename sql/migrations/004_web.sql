-- The municipality's website (tuscan crawl): crawls, pages, candidate links, one-hop verifications,
-- pages that failed, and linked documents. Every row carries the run that found it (runs.kind =
-- 'crawl'); views and candidates use the latest finished crawl of each start URL.

CREATE TABLE web_crawls (
    run_id          INTEGER PRIMARY KEY,
    start_url       VARCHAR NOT NULL,
    allowed_domains VARCHAR[] NOT NULL,       -- the crawl stayed within these (and their subdomains)
    max_pages       INTEGER,
    max_depth       INTEGER,
    documents       BOOLEAN NOT NULL DEFAULT false,
    exit_code       INTEGER                   -- of the crawler subprocess
);

CREATE TABLE web_pages (
    run_id       INTEGER NOT NULL,
    url          VARCHAR NOT NULL,
    depth        INTEGER NOT NULL,            -- clicks from the start URL
    http_status  INTEGER,
    content_type VARCHAR,
    title        VARCHAR,
    referer      VARCHAR                      -- the page that linked it
);

CREATE TABLE web_links (
    run_id      INTEGER NOT NULL,
    page_url    VARCHAR NOT NULL,             -- the page the link is on
    link_text   VARCHAR NOT NULL,
    target_url  VARCHAR NOT NULL,
    target_host VARCHAR NOT NULL,
    on_site     BOOLEAN NOT NULL,             -- target within the crawl's allowed domains
    reason      VARCHAR NOT NULL,             -- 'text: Log ind', 'host: renoweb.dk', or both
    depth       INTEGER
);

CREATE TABLE web_verifications (
    run_id         INTEGER NOT NULL,
    target_url     VARCHAR NOT NULL,
    target_host    VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,          -- checked, robots, error
    http_status    INTEGER,
    login_verified BOOLEAN,                   -- NULL when the target could not be checked
    evidence       VARCHAR,                   -- why it is (not) a login, or what went wrong
    error          VARCHAR
);

CREATE TABLE web_errors (
    run_id      INTEGER NOT NULL,
    url         VARCHAR NOT NULL,
    referer     VARCHAR,
    error       VARCHAR NOT NULL,             -- 'HTTP 404', 'TimeoutError: …', 'forbidden by robots.txt'
    http_status INTEGER
);

CREATE TABLE web_documents (
    run_id       INTEGER NOT NULL,
    url          VARCHAR NOT NULL,
    page_url     VARCHAR NOT NULL,            -- the page that linked it (documents.origin)
    status       VARCHAR NOT NULL,            -- saved, too_large, wrong_type, error
    content_type VARCHAR,
    size         BIGINT,
    cache_path   VARCHAR,                     -- where it was saved (<db>.webcache/)
    error        VARCHAR
);
