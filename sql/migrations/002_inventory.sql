-- The inventory: systems found, the evidence behind each, and people's decisions.
--
-- `systems` and `system_evidence` are rebuilt by every classification; `decisions` is written only
-- by `tuscan decide` and never by a flow, so a person's decision survives every re-run.

CREATE TABLE systems (
    system_id       INTEGER NOT NULL,
    system          VARCHAR NOT NULL,
    system_key      VARCHAR NOT NULL,          -- normalised name, stable across runs
    vendor          VARCHAR,
    category        VARCHAR NOT NULL,          -- own, shared, common_public, not_tu, unknown
    suggested_level VARCHAR,                   -- Lav, Betydelig or NULL
    flags           VARCHAR[],                 -- signing, pid_rid, …
    matched_list    VARCHAR,                   -- kl_common_public, kl_shared_tu, kitos_common_systems
    matched_name    VARCHAR,
    match_score     DOUBLE,
    ambiguous       BOOLEAN NOT NULL DEFAULT false,
    reason          VARCHAR NOT NULL,
    sources         VARCHAR[],                 -- document, kitos, web
    evidence_count  INTEGER NOT NULL,
    decided_by      VARCHAR NOT NULL,          -- rules or person
    classified_run  INTEGER
);

CREATE TABLE system_evidence (
    system_id    INTEGER NOT NULL,
    source_kind  VARCHAR NOT NULL,             -- document, kitos, web
    source_ref   VARCHAR NOT NULL,             -- document path, KITOS uuid/name, page URL
    document_id  BIGINT,
    page         INTEGER,
    kind         VARCHAR NOT NULL,             -- login, sensitive, signing, pid_rid, shared_signal, …
    term         VARCHAR,
    detail       VARCHAR,
    snippet      VARCHAR
);

CREATE TABLE document_systems (
    document_id BIGINT NOT NULL,
    system_id   INTEGER NOT NULL,
    signal      VARCHAR                        -- what attributed the document to the system
);

CREATE SEQUENCE decision_id_seq START 1;

CREATE TABLE decisions (
    decision_id INTEGER PRIMARY KEY DEFAULT nextval('decision_id_seq'),
    system      VARCHAR NOT NULL,              -- as the person wrote it
    system_key  VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,
    level       VARCHAR,
    note        VARCHAR,
    decided_by  VARCHAR,                       -- the person (login name)
    decided_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per system per classification run, for "what changed since the previous run".
CREATE TABLE inventory_history (
    run_id          INTEGER NOT NULL,
    system          VARCHAR NOT NULL,
    system_key      VARCHAR NOT NULL,
    category        VARCHAR NOT NULL,
    suggested_level VARCHAR,
    flags           VARCHAR[],
    decided_by      VARCHAR
);
