-- title: Own TU-solutions that need a risk assessment
-- description: Every own TU-solution (egen TU-løsning) the municipality must risk-assess itself and
--   place on a sikringsniveau, with the level the seed's simple risk rule suggests (Delrapport 1,
--   "Simpel risikovurdering": only ordinary personal data → Lav may do; otherwise Betydelig) and
--   the data terms that led to it. Start the risk assessments from this list.
-- columns:
--   system           the system's name
--   vendor           supplier, when known
--   suggested_level  Lav, Betydelig, or NULL when nothing is known about the data it processes
--   level_reason     the data terms behind the suggested level
--   flags            checklist flags: signing (rebuild signing), pid_rid (move PID/RID to UUID)
--   decided_by       rules, or person when someone recorded a decision (tuscan decide)
--   reason           why tuscan calls it an own TU-solution
--   evidence_count   pieces of evidence (see the system_evidence query)
WITH data_terms AS (
    SELECT system_id,
           string_agg(DISTINCT term, ', ' ORDER BY term) FILTER (WHERE kind = 'sensitive') AS sensitive,
           string_agg(DISTINCT term, ', ' ORDER BY term) FILTER (WHERE kind = 'ordinary_data') AS ordinary
    FROM system_evidence
    GROUP BY system_id
)
SELECT
    i.system,
    i.vendor,
    i.suggested_level,
    CASE
        WHEN d.sensitive IS NOT NULL THEN 'Sensitive or confidential data: ' || d.sensitive
        WHEN i.suggested_level = 'Lav' AND d.ordinary IS NOT NULL
            THEN 'Only ordinary personal data: ' || d.ordinary
        WHEN i.suggested_level IS NOT NULL AND i.decided_by = 'person' THEN 'Set by a person'
        WHEN i.suggested_level IS NOT NULL THEN 'By the simple risk rule'
        ELSE 'Nothing found about the data it processes: assess it by hand'
    END AS level_reason,
    i.flags,
    i.decided_by,
    i.reason,
    i.evidence_count
FROM inventory i
LEFT JOIN data_terms d ON d.system_id = i.system_id
WHERE i.category = 'own'
ORDER BY CASE i.suggested_level WHEN 'Betydelig' THEN 1 WHEN 'Lav' THEN 2 ELSE 0 END, lower(i.system);
