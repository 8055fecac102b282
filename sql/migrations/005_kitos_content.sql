-- KITOS exports recognised by their content, not only by their path.
--
-- Browsers save a second download as "kitos (1).xlsx" and users rename files, so an export's path says
-- little about what it holds. `tuscan kitos import` now hashes each file (sha256 of its bytes):
-- - content whose rows are stored already is not stored again: the load is recorded as
--   'already_imported', naming the file that holds those rows (`same_as`),
-- - a changed export replaces what the same path imported before (as 003 did) and every export of the
--   same kind (usage, catalog, contracts) imported by an earlier command: an export file names no
--   organisation, a database is one municipality's inventory, so the newest export of a kind is the
--   truth. Exports given in one command add up. API fetches (origin 'api:…') are not affected.
-- Databases imported into before this migration have no hashes: their rows are replaced by kind all
-- the same, and content is recognised from the first import after the upgrade.

-- The export files whose rows are stored now (kitos_systems / kitos_contracts.origin): one row each.
CREATE TABLE kitos_exports (
    origin      VARCHAR NOT NULL,              -- the file's absolute path when it was imported
    kind        VARCHAR NOT NULL,              -- usage, catalog or contracts
    sha256      VARCHAR NOT NULL,              -- of the file's bytes
    size        BIGINT,                        -- bytes
    row_count   INTEGER,                       -- rows stored from it
    run_id      INTEGER NOT NULL,              -- the runs row (kind 'kitos') that imported it
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

ALTER TABLE kitos_loads ADD COLUMN sha256 VARCHAR;     -- of the file's bytes (NULL: API fetch, or before 005)
ALTER TABLE kitos_loads ADD COLUMN outcome VARCHAR;    -- imported, already_imported or refused (NULL before 005)
ALTER TABLE kitos_loads ADD COLUMN same_as VARCHAR;    -- already_imported: the file whose stored rows hold this content
ALTER TABLE kitos_loads ADD COLUMN replaced VARCHAR[]; -- imported: the earlier exports whose rows it replaced
