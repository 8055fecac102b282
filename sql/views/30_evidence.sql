-- evidence: every piece of evidence behind an inventory row.
--
--   system       inventory system
--   category     its category
--   source_kind  document, kitos or web
--   source_ref   document path, KITOS system, or web page URL
--   page         page of the document, when the evidence is a keyword hit
--   kind         login, business_login, sensitive, signing, pid_rid, tu_term, shared_signal,
--                common_public_signal, mention, …
--   term         the keyword or list name
--   detail       a readable description, in English
--   detail_da    the same in Danish (beskrivelse); tuscan's report and web app render it from kind + detail
--   snippet      text around the hit (±80 characters, CPR numbers masked)
--   document_id  the document the evidence comes from (join document_findings), or NULL
--   system_id    the inventory row (changes when the inventory is rebuilt; join on system)
CREATE OR REPLACE VIEW evidence AS
SELECT s.system, s.category, e.source_kind, e.source_ref, e.page, e.kind, e.term, e.detail, e.snippet,
       e.document_id, s.system_id, e.detail_da
FROM system_evidence e
JOIN systems s ON s.system_id = e.system_id
ORDER BY s.system, e.source_kind, e.source_ref, e.page;
