-- inventory: one row per IT system tuscan found, with its category and the reason for it.
--
--   system           the system's name (from a KL list, KITOS, a document or a web host)
--   vendor           supplier / rights holder, when known
--   category         own (egen TU-løsning), shared (TU-løsning som flere kommuner anvender),
--                    common_public (fællesoffentlig løsning), not_tu (ikke TU-løsning),
--                    unknown (uafklaret: conflicting or weak signals; needs a person)
--   suggested_level  Lav or Betydelig by the seed's simple risk rule, NULL when nothing is known
--   flags            own-solution checklist flags: signing, pid_rid, …
--   matched_list     the reference list the system matched: kl_common_public, kl_shared_tu,
--                    kitos_common_systems, or NULL
--   matched_name     the name as written on that list
--   match_score      fuzzy-match score 0–100
--   ambiguous        two list entries matched almost equally well; not guessed
--   reason           one sentence a DPO can check against the evidence, in English (as it always was)
--   reason_da        the same sentence in Danish (begrundelse), quoting the evidence in Danish
--   reason_code      the rule that decided, as a code (tuscan/reasons.py: own, shared_list, weak_only, …)
--   reason_values    the code's values as JSON (list, entry, score, the evidence quoted); tuscan's
--                    report and web app render code + values in the reader's language
--   sources          where the system was seen: document, kitos, web
--   evidence_count   number of evidence rows (see the `evidence` view)
--   decided_by       rules, or person when `tuscan decide` set the category
--   system_id        row id within this classification (rebuilt on every run; use system to join)
--   system_key       the normalised name, stable across runs (decisions are keyed on it)
CREATE OR REPLACE VIEW inventory AS
SELECT
    system, vendor, category, suggested_level, flags, matched_list, matched_name, match_score,
    ambiguous, reason, sources, evidence_count, decided_by, system_id, system_key,
    reason_da, reason_code, reason_values
FROM systems
ORDER BY
    CASE category WHEN 'own' THEN 1 WHEN 'unknown' THEN 2 WHEN 'shared' THEN 3
                  WHEN 'common_public' THEN 4 ELSE 5 END,
    lower(system);
