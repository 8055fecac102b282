-- title: Common public solutions (for moving employees to MitID Erhverv)
-- description: Fællesoffentlige løsninger: solutions owned by another authority that the
--   municipality's employees log into (FMK, Virk.dk, …). They are not the municipality's
--   TU-solutions, but every employee who uses one needs MitID Erhverv instead of
--   medarbejdersignatur (Delrapport 2). Use the list to plan that move.
-- columns:
--   system            the solution's name
--   owner             the owning authority or supplier, when known
--   kl_name           the name on KL's list of common public solutions
--   employee_login    true when the documents mention medarbejdersignatur/MitID Erhverv logins
--   login_terms       the login terms found
--   sources           where it was seen: document, kitos, web
--   reason            why tuscan calls it common public
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
    i.reason
FROM inventory i
LEFT JOIN logins l ON l.system_id = i.system_id
WHERE i.category = 'common_public'
ORDER BY lower(i.system);
