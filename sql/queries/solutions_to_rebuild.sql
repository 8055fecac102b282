-- title: Løsninger der skal ombygges (signering, PID/RID)
-- description: TU-løsninger fra tjeklisten for egne løsninger (Delrapport 1, "Tjekliste for egne
--   løsninger"), der skal ændres med MitID: dokumentsignering med OCES holder op med at virke og skal
--   bygges om; integrationer der sender PID/RID-numre skal over på UUID. Kun egne og uafklarede
--   systemer: TU-løsninger som flere kommuner anvender og fællesoffentlige løsninger bygges om af ejeren.
-- columns:
--   system       systemets navn
--   vendor       leverandør, når den kendes (den laver som regel ombygningen)
--   category     own (egen) eller unknown (uafklaret)
--   flags        signing og/eller pid_rid
--   what_to_do   den ændring flagene kræver
--   documents    de dokumenter evidensen for flagene kommer fra
--   example      et uddrag af evidensen (CPR-numre maskeret)
WITH flag_evidence AS (
    SELECT system_id,
           string_agg(DISTINCT source_ref, '; ' ORDER BY source_ref) AS documents,
           min(snippet) AS example
    FROM system_evidence
    WHERE kind IN ('signing', 'pid_rid')
    GROUP BY system_id
)
SELECT
    i.system,
    i.vendor,
    i.category,
    i.flags,
    concat_ws('; ',
        CASE WHEN list_contains(i.flags, 'signing')
             THEN 'Byg dokumentsigneringen om: OCES-signering virker ikke med MitID' END,
        CASE WHEN list_contains(i.flags, 'pid_rid')
             THEN 'Omlæg integrationen fra PID/RID-numre til UUID' END) AS what_to_do,
    f.documents,
    f.example
FROM inventory i
LEFT JOIN flag_evidence f ON f.system_id = i.system_id
WHERE i.category IN ('own', 'unknown')
  AND (list_contains(i.flags, 'signing') OR list_contains(i.flags, 'pid_rid'))
ORDER BY lower(i.system);
