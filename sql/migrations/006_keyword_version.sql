-- Which keyword set a content's hits were found with, so a changed keyword file is applied to text
-- already read (tuscan.refind).
--
-- The value is the sha256 of the keyword file's bytes (reference/keywords.toml, or the file named by
-- TUSCAN_KEYWORDS). `tuscan discover` finds the hits again, from the stored page text, for every
-- content whose value differs from the keyword file in effect; nothing is read or OCR'd again.
-- Contents stored before this migration get NULL (unknown): the next discover finds their hits
-- again once. That costs only keyword finding over the stored text (a small share of a first scan,
-- no reading, no OCR) and is the only way to be sure old hits match the current keyword file.

ALTER TABLE contents ADD COLUMN keywords_version VARCHAR;  -- sha256 of the keyword file; NULL: unknown
