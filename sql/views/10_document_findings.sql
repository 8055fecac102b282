-- document_findings: one row per scanned document (zip members included as 'archive.zip!member').
--
--   document_id   internal id
--   path          path relative to the scanned root, '/' separators
--   root          the scanned root folder, or the web origin for crawled documents
--   origin        'archive', or the web page that linked the document
--   status        ok | error | unsupported | no_text | skipped (not read on purpose: a link out of the
--                 scanned folders, a device …) | missing (the file is gone; kept, not forgotten)
--   error         why the document could not be read, or NULL
--   tu_evidence   true when a login keyword (NemID, MitID, NemLog-in, medarbejdersignatur, …) was
--                 found that is not excluded as a trap
--   system        the inventory system the document was attributed to, or NULL
--   keywords      sorted list of the terms found (excluded hits not counted)
--   excluded      sorted list of terms found but excluded (NemKonto, signature blocks, …)
--   hit_count     number of counted hits
--   pages         number of pages with text
--   ocr_pages     pages whose text came from OCR
--   sha256        content hash; documents with the same hash are copies
--   size, mtime   file size in bytes and modification time (Unix seconds)
--   first_seen_run, last_seen_run   runs in which the path was first and last seen
CREATE OR REPLACE VIEW document_findings AS
WITH hit_summary AS (
    SELECT
        sha256,
        bool_or(login AND excluded_by IS NULL) AS tu_evidence,
        list(DISTINCT term ORDER BY term) FILTER (WHERE excluded_by IS NULL) AS keywords,
        list(DISTINCT term ORDER BY term) FILTER (WHERE excluded_by IS NOT NULL) AS excluded,
        count(*) FILTER (WHERE excluded_by IS NULL) AS hit_count
    FROM hits
    GROUP BY sha256
)
SELECT
    d.document_id,
    d.path,
    d.root,
    d.origin,
    CASE
        WHEN d.missing_since_run IS NOT NULL THEN 'missing'
        WHEN d.skipped THEN 'skipped'
        WHEN d.read_error IS NOT NULL THEN 'error'
        ELSE c.status
    END AS status,
    COALESCE(d.read_error, c.error) AS error,
    COALESCE(hs.tu_evidence, false) AS tu_evidence,
    s.system,
    COALESCE(hs.keywords, []::VARCHAR[]) AS keywords,
    COALESCE(hs.excluded, []::VARCHAR[]) AS excluded,
    COALESCE(hs.hit_count, 0) AS hit_count,
    c.page_count AS pages,
    c.ocr_pages,
    d.sha256,
    d.size,
    d.mtime,
    d.first_seen_run,
    d.last_seen_run
FROM documents d
LEFT JOIN contents c ON c.sha256 = d.sha256
LEFT JOIN hit_summary hs ON hs.sha256 = d.sha256
LEFT JOIN document_systems ds ON ds.document_id = d.document_id
LEFT JOIN systems s ON s.system_id = ds.system_id
WHERE COALESCE(c.status, '') <> 'container' OR d.missing_since_run IS NOT NULL;
