-- title: Systemer der skal gennemgås
-- description: Systemer en person bør se på, før fortegnelsen indberettes: uafklarede (modstridende
--   eller svage signaler), systemer hvis navn passer næsten lige godt på to poster på KL's lister
--   (tvetydigt match), og systemer hvis listematch ligger tæt på tærsklen. Systemer en person allerede
--   har afgjort (tuscan decide) er udeladt. Gem afgørelsen med tuscan decide eller i tuscan serve.
-- param: min_score = 95: listematch med en score under denne vises som lav score
-- columns:
--   system         systemets navn
--   vendor         leverandør, når den kendes
--   category       den nuværende kategori
--   why_review     hvorfor: uafklaret, tvetydigt match og/eller lav score
--   matched_list   den KL-liste systemet matchede, hvis nogen
--   matched_name   navnet på listen
--   match_score    fuzzy-match-score 0–100
--   reason         tuscans begrundelse for den nuværende kategori (på dansk)
SELECT
    system,
    vendor,
    category,
    concat_ws(', ',
        CASE WHEN category = 'unknown' THEN 'uafklaret' END,
        CASE WHEN ambiguous THEN 'tvetydigt match' END,
        CASE WHEN matched_list IS NOT NULL AND match_score < CAST($min_score AS DOUBLE)
             THEN 'lav score' END) AS why_review,
    matched_list,
    matched_name,
    match_score,
    coalesce(reason_da, reason) AS reason
FROM inventory
WHERE decided_by <> 'person'
  AND (category = 'unknown' OR ambiguous
       OR (matched_list IS NOT NULL AND match_score < CAST($min_score AS DOUBLE)))
ORDER BY CASE WHEN category = 'unknown' THEN 0 ELSE 1 END, lower(system);
