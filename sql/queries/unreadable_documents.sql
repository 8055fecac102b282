-- title: Documents that could not be read
-- description: Documents tuscan could not read (encrypted, corrupt, empty, a legacy format, a scan
--   without text when OCR is not installed). Nothing in them was searched, so a TU-solution could
--   hide there: open them by hand, or convert them and run discover again.
-- columns:
--   path      path relative to the scanned root ('archive.zip!member' inside zip files)
--   status    error, unsupported or no_text
--   error     why it could not be read, and what to do about it
--   system    the system the document is filed under, if any
--   root      the scanned root folder (or the web page for crawled documents)
--   size      file size in bytes
SELECT path, status, error, system, root, size
FROM document_findings
WHERE status IN ('error', 'unsupported', 'no_text')
ORDER BY status, path;
