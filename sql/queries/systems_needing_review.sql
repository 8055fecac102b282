-- title: Systems needing review
-- description: Systems a person should look at before the inventory is reported: unresolved ones
--   (uafklaret: conflicting or weak signals), ones that matched two KL list entries almost equally
--   well (ambiguous), and ones whose list match is close to the threshold. Systems a person already
--   decided (tuscan decide) are left out. Record the outcome with tuscan decide.
-- param: min_score = 95: list matches scoring below this are shown as low-score matches
-- columns:
--   system         the system's name
--   vendor         supplier, when known
--   category       its current category
--   why_review     unknown, ambiguous and/or low score
--   matched_list   the KL list it matched, if any
--   matched_name   the name on that list
--   match_score    fuzzy-match score 0–100
--   reason         tuscan's reason for the current category
SELECT
    system,
    vendor,
    category,
    concat_ws(', ',
        CASE WHEN category = 'unknown' THEN 'unknown' END,
        CASE WHEN ambiguous THEN 'ambiguous' END,
        CASE WHEN matched_list IS NOT NULL AND match_score < CAST($min_score AS DOUBLE)
             THEN 'low score' END) AS why_review,
    matched_list,
    matched_name,
    match_score,
    reason
FROM inventory
WHERE decided_by <> 'person'
  AND (category = 'unknown' OR ambiguous
       OR (matched_list IS NOT NULL AND match_score < CAST($min_score AS DOUBLE)))
ORDER BY CASE WHEN category = 'unknown' THEN 0 ELSE 1 END, lower(system);
