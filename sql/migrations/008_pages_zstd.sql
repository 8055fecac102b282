-- Page text is stored with zstd compression instead of DuckDB's default for text (dictionary/FSST).
--
-- The single writer compresses every page it stores at checkpoint. On contract-like text the
-- default costs ~0.1 s of CPU per MB, zstd a fifth of that, and zstd's file is half the size
-- (measured with DuckDB 2.0 on 100 MB of page text; bench/results.md). At the scale of an
-- archive the writer's CPU is taken from the extraction workers, so this is scan speed.
-- DuckDB cannot change a column's compression in place: the table is rebuilt once.

CREATE TABLE pages_zstd (
    sha256         VARCHAR NOT NULL,
    page           INTEGER NOT NULL,           -- 1-based
    text           VARCHAR NOT NULL USING COMPRESSION zstd,   -- NFC, CPR numbers masked
    ocr            BOOLEAN NOT NULL DEFAULT false,
    ocr_confidence DOUBLE
);

INSERT INTO pages_zstd SELECT sha256, page, text, ocr, ocr_confidence FROM pages;

DROP TABLE pages;

ALTER TABLE pages_zstd RENAME TO pages;
