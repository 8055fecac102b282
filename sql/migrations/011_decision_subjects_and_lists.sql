-- What a person's decision was about, so that it finds its system again when a later run names,
-- merges or splits systems differently; and KL's lists as data a municipality can update itself.
--
-- decision_subjects and decision_links are written only by tuscan.decisions (a person's action) and
-- by classification (which decision each system took), never by a scan: nothing a person recorded
-- is overwritten or deleted by a re-run.

-- One row per decision: the system as it stood when the person decided.
CREATE TABLE decision_subjects (
    decision_id  INTEGER PRIMARY KEY,          -- decisions.decision_id
    list_key     VARCHAR,                      -- the KL-list entry it matched, "kl_shared_tu:Aula", or NULL
    names        VARCHAR[] NOT NULL,           -- normalised names the system went by (tuscan.names.normalise)
    vendor       VARCHAR,                      -- its vendor, when known
    documents    VARCHAR[] NOT NULL,           -- sha256 of the documents attributed to it (a moved or
                                               -- renamed file is a new documents row, same content)
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Decisions recorded before this table existed: what the inventory held for their system then.
INSERT INTO decision_subjects (decision_id, list_key, names, vendor, documents)
SELECT d.decision_id,
       CASE WHEN s.matched_list IS NOT NULL THEN s.matched_list || ':' || s.matched_name END,
       [d.system_key],
       s.vendor,
       coalesce((SELECT list(DISTINCT doc.sha256) FROM document_systems ds
                 JOIN documents doc ON doc.document_id = ds.document_id
                 WHERE ds.system_id = s.system_id AND doc.sha256 IS NOT NULL), []::VARCHAR[])
FROM decisions d
LEFT JOIN systems s ON s.system_key = d.system_key
QUALIFY row_number() OVER (PARTITION BY d.decision_id ORDER BY s.system_id) = 1;

-- One row per decision per classification run: the system the decision was attached to and how.
CREATE TABLE decision_links (
    run_id        INTEGER NOT NULL,            -- runs.run_id of the classification
    decision_id   INTEGER NOT NULL,
    system        VARCHAR NOT NULL,            -- the system's name in that run
    system_key    VARCHAR NOT NULL,
    how           VARCHAR NOT NULL,            -- name, earlier_name, list_entry, documents, overruled
    overruled_by  INTEGER                      -- for 'overruled': the newer decision that counts instead
);

-- KL's lists (shared TU-solutions, common public solutions, KITOS 20+), imported by `tuscan lists
-- import`. The newest version of a list replaces the bundled CSV for classification.
CREATE SEQUENCE list_version_id_seq START 1;

CREATE TABLE list_versions (
    version_id   INTEGER PRIMARY KEY DEFAULT nextval('list_version_id_seq'),
    list         VARCHAR NOT NULL,             -- kl_shared_tu, kl_common_public, kitos_common_systems
    file_name    VARCHAR NOT NULL,             -- the imported file's name (no folder)
    sha256       VARCHAR NOT NULL,             -- of the file's bytes
    source       VARCHAR,                      -- where it came from, as the user wrote it (--source)
    name_column  VARCHAR NOT NULL,             -- the header the names were read from
    row_count    INTEGER NOT NULL,             -- entries stored
    imported_by  VARCHAR,
    imported_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE list_entries (
    version_id   INTEGER NOT NULL,             -- list_versions.version_id
    name         VARCHAR NOT NULL,             -- the system's name as written in the file
    vendor       VARCHAR,
    row_number   INTEGER NOT NULL              -- the row in the file (1 = first data row)
);
