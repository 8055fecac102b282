-- A file whose reader went over the time limit or crashed is remembered by its content, so an
-- unchanged file is not tried again on every run (tuscan.failures).
--
-- Such a file gets a `contents` row (status 'error', the reason in `error`, no pages, no hits) under
-- the sha256 the writer computed before handing it to a reader. Change detection then treats it as
-- any stored content: same size and mtime, or the same hash under another name, and it is not read
-- again. `tuscan discover --retry-failed` tries them again; a timed-out file is also tried again when
-- the time limit is now larger than the one it went over. Transient errors (a file that vanished,
-- changed while read, or could not be opened) stay on `documents.read_error` and are retried every run.
-- Databases from before this migration have no such rows: their failed files are tried once more.

ALTER TABLE contents ADD COLUMN read_failure VARCHAR;  -- 'timeout' or 'crash'; NULL: read (or failed for another reason)
ALTER TABLE contents ADD COLUMN read_timeout DOUBLE;   -- for 'timeout': the time limit (seconds) it went over
