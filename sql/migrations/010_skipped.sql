-- Entries the walker does not read on purpose: a symbolic link that leads out of the scanned roots,
-- a link to a folder, a device, pipe or socket. They keep their row (nothing the walker sees is
-- lost) with the reason in read_error, and show as status 'skipped' in document_findings.
ALTER TABLE documents ADD COLUMN skipped BOOLEAN DEFAULT false;
