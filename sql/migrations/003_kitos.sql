-- KITOS (the municipal IT-system portfolio tool): systems in use, catalog entries and contracts,
-- from the web UI's xlsx/csv exports (`tuscan kitos import`) or the API v2 (`tuscan kitos fetch`).
--
-- Each load replaces the rows of its origin (`origin` = the file's absolute path, or 'api:<url>#<cvr>'),
-- so importing the same file again does not duplicate anything. `imported_run` is the runs row
-- (kind 'kitos') that wrote the row. tuscan.kitos.candidates turns these rows into inventory candidates.

CREATE TABLE kitos_systems (
    record_kind          VARCHAR NOT NULL,     -- usage (a system the municipality uses) or catalog
    uuid                 VARCHAR,              -- the IT system's KITOS UUID
    name                 VARCHAR NOT NULL,     -- without " (Ikke tilgængeligt)" / " (udgået)"
    parent               VARCHAR,              -- Overordnet IT System
    local_id             VARCHAR,              -- Lokal System ID
    local_name           VARCHAR,              -- Lokal kaldenavn
    rights_holder        VARCHAR,              -- Rettighedshaver, without the CVR
    rights_holder_cvr    VARCHAR,              -- 8 digits, or a foreign id such as a country code
    rights_holder_public BOOLEAN,              -- the rights holder is another public authority (NULL: unknown)
    vendor               VARCHAR,              -- Leverandør (usage export)
    vendor_cvr           VARCHAR,
    business_type        VARCHAR,              -- Forretningstype
    data_type            VARCHAR,              -- DataType, e.g. 'Følsomme persondata'
    usage_count          INTEGER,              -- organisations using the system (catalog)
    using_organisations  VARCHAR[],            -- their names (catalog)
    contracts            VARCHAR[],            -- IT Kontrakter (usage export)
    status               VARCHAR,              -- as KITOS wrote it
    active               BOOLEAN,              -- false: not valid / deactivated / "(Ikke tilgængeligt)"
    in_use               BOOLEAN,              -- catalog "Anvendes": the municipality uses it
    origin               VARCHAR NOT NULL,     -- source file path, or 'api:<url>#<cvr>'
    source_row           INTEGER,              -- row number in the file (1 = header)
    imported_run         INTEGER
);

CREATE TABLE kitos_contracts (
    name          VARCHAR NOT NULL,            -- IT Kontrakt
    contract_id   VARCHAR,                     -- IT Kontrakt Id
    vendor        VARCHAR,                     -- Leverandør, without the CVR
    vendor_cvr    VARCHAR,
    systems       VARCHAR[],                   -- IT Systemer (names)
    system_uuids  VARCHAR[],                   -- IT Systemer (UUID)
    valid_from    DATE,                        -- Gyldig fra / Indgået
    valid_to      DATE,                        -- Gyldig til / Udløbsdato
    origin        VARCHAR NOT NULL,
    source_row    INTEGER,
    imported_run  INTEGER
);

-- What each load did: one row per file (or API fetch) per run, for "what was imported and skipped".
CREATE TABLE kitos_loads (
    run_id      INTEGER NOT NULL,
    origin      VARCHAR NOT NULL,
    kind        VARCHAR,                       -- usage, catalog, contracts, api, or NULL when unreadable
    imported    INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    error       VARCHAR,                       -- why the whole file was refused
    skipped_why VARCHAR[]                      -- 'row 7: no system name', …
);
