-- title: Egne TU-løsninger der skal risikovurderes
-- description: Hver egen TU-løsning, som kommunen selv skal risikovurdere og placere på et
--   sikringsniveau, med det niveau den simple risikovurdering foreslår (Delrapport 1, "Simpel
--   risikovurdering": kun almindelige personoplysninger → Lav efter en nærmere vurdering; ellers
--   Betydelig) og de oplysninger i evidensen, der gav forslaget. Start risikovurderingerne herfra.
-- columns:
--   system           systemets navn
--   vendor           leverandør, når den kendes
--   suggested_level  Lav, Betydelig, eller NULL når intet vides om de oplysninger løsningen behandler
--   level_reason     begrundelsen for det foreslåede sikringsniveau (de oplysninger evidensen viser)
--   flags            tjekliste-flag: signing (signering skal bygges om), pid_rid (PID/RID skal over på UUID)
--   decided_by       rules (reglerne) eller person, når nogen har truffet en afgørelse (tuscan decide)
--   reason           begrundelsen for, at tuscan kalder det en egen TU-løsning (på dansk)
--   evidence_count   antal stykker evidens (se forespørgslen system_evidence)
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
        WHEN d.sensitive IS NOT NULL THEN 'Følsomme eller fortrolige oplysninger: ' || d.sensitive
        WHEN i.suggested_level = 'Lav' AND d.ordinary IS NOT NULL
            THEN 'Kun almindelige personoplysninger (Lav efter en nærmere vurdering): ' || d.ordinary
        WHEN i.suggested_level IS NOT NULL AND i.decided_by = 'person' THEN 'Valgt af en person'
        WHEN i.suggested_level = 'Betydelig'
            THEN 'Betydelig direkte: en kommunal TU-løsning kan indplaceres direkte på Betydelig'
        WHEN i.suggested_level IS NOT NULL THEN 'Efter den simple risikovurdering'
        ELSE 'Intet fundet om de oplysninger løsningen behandler: vurder den manuelt'
    END AS level_reason,
    i.flags,
    i.decided_by,
    coalesce(i.reason_da, i.reason) AS reason,
    i.evidence_count
FROM inventory i
LEFT JOIN data_terms d ON d.system_id = i.system_id
WHERE i.category = 'own'
ORDER BY CASE i.suggested_level WHEN 'Betydelig' THEN 1 WHEN 'Lav' THEN 2 ELSE 0 END, lower(i.system);
