-- title: All evidence for one system
-- description: Everything behind one inventory row: each keyword hit, list match and web link, with
--   where it was found and the text around it. Use it to check a category or a suggested level
--   before signing off on it. The name is matched case-insensitively; % is a wildcard.
-- param: system: the system's name as in the inventory, e.g. 'Korsbæk Selvbetjening' or 'Korsbæk%'
-- columns:
--   system       the system's name
--   category     its category
--   source_kind  document, kitos or web
--   source_ref   document path, KITOS system, or web page URL
--   page         page of the document, when the evidence is a keyword hit
--   kind         login, business_login, sensitive, ordinary_data, signing, pid_rid, tu_term, …
--   term         the keyword or list name
--   detail       a readable description
--   snippet      text around the hit (±80 characters, CPR numbers masked)
SELECT system, category, source_kind, source_ref, page, kind, term, detail, snippet
FROM evidence
WHERE system ILIKE $system
ORDER BY system, source_kind, source_ref, page, kind, term;
