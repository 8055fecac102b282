-- Core tables of a discovery run: runs, file contents and their text, keyword hits, documents.
--
-- Text and hits belong to a file's *content* (sha256), documents are *paths* pointing at content:
-- a renamed or copied file is recognised by its hash and keeps its findings without being read
-- again, and a duplicate is extracted once.

CREATE SEQUENCE run_id_seq START 1;

CREATE TABLE runs (
    run_id      INTEGER PRIMARY KEY DEFAULT nextval('run_id_seq'),
    kind        VARCHAR NOT NULL,              -- discover, classify, kitos, crawl, …
    status      VARCHAR NOT NULL,              -- running, finished, failed, interrupted
    started_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished_at TIMESTAMP,
    pid         INTEGER,                       -- the process that ran it
    host        VARCHAR,
    args        JSON,                          -- what it was asked to do (never credentials)
    summary     JSON,                          -- counts at the end
    error       VARCHAR                        -- why it failed
);

CREATE TABLE contents (
    sha256         VARCHAR PRIMARY KEY,
    size           BIGINT NOT NULL,
    status         VARCHAR NOT NULL,           -- ok, error, unsupported, no_text, container
    error          VARCHAR,                    -- readable reason when status is not ok
    extractor      VARCHAR,                    -- which reader produced the text
    page_count     INTEGER,
    ocr_pages      INTEGER,                    -- pages whose text came from OCR
    ocr_confidence DOUBLE,                     -- mean OCR confidence (0–100) over those pages
    title          VARCHAR,
    extracted_run  INTEGER,
    extracted_at   TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE pages (
    sha256         VARCHAR NOT NULL,
    page           INTEGER NOT NULL,           -- 1-based
    text           VARCHAR NOT NULL,           -- NFC, CPR numbers masked
    ocr            BOOLEAN NOT NULL DEFAULT false,
    ocr_confidence DOUBLE
);

CREATE TABLE hits (
    sha256      VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    "offset"    INTEGER NOT NULL,              -- character offset in pages.text
    length      INTEGER NOT NULL,
    term        VARCHAR NOT NULL,              -- canonical term, e.g. 'nemid'
    term_group  VARCHAR NOT NULL,              -- citizen_login, business_login, tu_terms, …
    matched     VARCHAR NOT NULL,              -- the text as written
    snippet     VARCHAR NOT NULL,              -- ±80 characters, CPR masked
    login       BOOLEAN NOT NULL,              -- a login term (counts towards tu_evidence)
    excluded_by VARCHAR,                       -- reason the hit does not count, or NULL
    ocr         BOOLEAN NOT NULL DEFAULT false -- found in OCR text
);

-- Members of a container (zip) content, so a renamed or copied zip is listed without re-reading it.
CREATE TABLE members (
    container_sha256 VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,         -- path inside the archive ('b.zip!c.pdf' when nested)
    sha256           VARCHAR NOT NULL,
    size             BIGINT NOT NULL
);

CREATE SEQUENCE document_id_seq START 1;

CREATE TABLE documents (
    document_id      BIGINT PRIMARY KEY DEFAULT nextval('document_id_seq'),
    root             VARCHAR NOT NULL,         -- the scanned root folder (absolute) or web origin
    path             VARCHAR NOT NULL,         -- relative to root, '/' separators, 'a.zip!member'
    container        VARCHAR,                  -- for zip members: path of the outermost zip
    origin           VARCHAR NOT NULL DEFAULT 'archive',  -- 'archive', or the web page that linked it
    size             BIGINT,
    mtime            DOUBLE,
    sha256           VARCHAR,                  -- NULL when the file could not be read at all
    read_error       VARCHAR,                  -- why the file could not be read (permissions, vanished …)
    first_seen_run   INTEGER NOT NULL,
    last_seen_run    INTEGER NOT NULL,
    missing_since_run INTEGER,                 -- set when the file is gone; the row is kept
    UNIQUE (root, path)
);
