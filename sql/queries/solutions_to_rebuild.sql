-- title: Solutions to rebuild (signing, PID/RID)
-- description: TU-solutions on the own-solution checklist (Delrapport 1, "Tjekliste for egne
--   løsninger") that must change with MitID: OCES document signing stops working and must be
--   rebuilt; integrations that pass PID/RID numbers must move to UUIDs. Own and unresolved systems
--   only: shared and common public solutions are rebuilt by their owners.
-- columns:
--   system       the system's name
--   vendor       supplier, when known (they usually do the rebuild)
--   category     own or unknown
--   flags        signing and/or pid_rid
--   what_to_do   the change the flags call for
--   documents    the documents the flag evidence comes from
--   example      one snippet of the evidence (CPR numbers masked)
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
             THEN 'Rebuild document signing: OCES signing stops working with MitID' END,
        CASE WHEN list_contains(i.flags, 'pid_rid')
             THEN 'Move the integration from PID/RID numbers to UUIDs' END) AS what_to_do,
    f.documents,
    f.example
FROM inventory i
LEFT JOIN flag_evidence f ON f.system_id = i.system_id
WHERE i.category IN ('own', 'unknown')
  AND (list_contains(i.flags, 'signing') OR list_contains(i.flags, 'pid_rid'))
ORDER BY lower(i.system);
