-- title: Fællesoffentlige løsninger (medarbejdere over på MitID Erhverv)
-- description: Fællesoffentlige løsninger: løsninger ejet af en anden myndighed, som kommunens
--   medarbejdere logger ind på (FMK, Virk.dk, …). De er ikke kommunens TU-løsninger, men hver
--   medarbejder der bruger en af dem, skal have MitID Erhverv i stedet for medarbejdersignatur
--   (Delrapport 2). Brug listen til at planlægge skiftet.
-- columns:
--   system            løsningens navn
--   owner             den ejende myndighed eller leverandør, når den kendes
--   kl_name           navnet på KL's liste over fællesoffentlige løsninger (Delrapport 2, Bilag 1)
--   employee_login    true når dokumenterne nævner login med medarbejdersignatur/MitID Erhverv
--   login_terms       de login-ord der blev fundet
--   sources           hvor den blev set: document (dokument), kitos, web (hjemmeside)
--   reason            begrundelsen for, at tuscan kalder den fællesoffentlig (på dansk)
WITH logins AS (
    SELECT system_id,
           bool_or(kind = 'business_login') AS employee_login,
           string_agg(DISTINCT term, ', ' ORDER BY term) AS login_terms
    FROM system_evidence
    WHERE kind IN ('login', 'business_login')
    GROUP BY system_id
)
SELECT
    i.system,
    i.vendor AS owner,
    CASE WHEN i.matched_list = 'kl_common_public' THEN i.matched_name END AS kl_name,
    coalesce(l.employee_login, false) AS employee_login,
    l.login_terms,
    i.sources,
    coalesce(i.reason_da, i.reason) AS reason
FROM inventory i
LEFT JOIN logins l ON l.system_id = i.system_id
WHERE i.category = 'common_public'
ORDER BY lower(i.system);
