-- title: Checklist status per own solution (tjekliste for egne løsninger)
-- description: For every own TU-solution (egen TU-løsning), how far the municipality is with the
--   eight tasks of Delrapport 1's "Tjekliste for egne løsninger" (NemLog-in3 guidance, standard or
--   non-standard integration, document signing, PID/RID to UUID, the central PID/RID service, risk
--   assessment, a new TU agreement), as recorded in `tuscan serve`. An item nobody has touched counts
--   as not started. Use it to follow up on the solutions that are behind.
-- columns:
--   system           the system's name
--   vendor           supplier, when known
--   suggested_level  the level the simple risk rule suggests (Lav, Betydelig)
--   chosen_level     the level a person chose (tuscan decide / the app), or NULL
--   flags            checklist flags from the evidence: signing, pid_rid
--   items            number of checklist items (8)
--   done             items resolved (afklaret)
--   not_relevant     items marked not relevant (ikke relevant)
--   in_progress      items in progress (i gang)
--   not_started      items not started (ikke startet)
--   last_change      when a checklist item was last changed, or NULL
--   changed_by       who made that change
WITH items(item) AS (
    VALUES ('guidance'), ('standard_integration'), ('non_standard_integration'), ('signing'), ('pid_rid'),
           ('central_pid_rid'), ('risk_assessment'), ('tu_agreement')
),
own AS (
    SELECT system, system_key, vendor, suggested_level, flags FROM inventory WHERE category = 'own'
),
chosen AS (
    SELECT system_key, level FROM decision_history WHERE in_force
),
status AS (
    SELECT o.system_key, i.item, coalesce(c.status, 'not_started') AS status, c.set_at, c.set_by
    FROM own o
    CROSS JOIN items i
    LEFT JOIN checklist_current c ON c.system_key = o.system_key AND c.item = i.item
)
SELECT
    o.system,
    o.vendor,
    o.suggested_level,
    ch.level AS chosen_level,
    o.flags,
    count(s.item) AS items,
    count(*) FILTER (WHERE s.status = 'done') AS done,
    count(*) FILTER (WHERE s.status = 'not_relevant') AS not_relevant,
    count(*) FILTER (WHERE s.status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE s.status = 'not_started') AS not_started,
    max(s.set_at) AS last_change,
    arg_max(s.set_by, s.set_at) AS changed_by
FROM own o
JOIN status s ON s.system_key = o.system_key
LEFT JOIN chosen ch ON ch.system_key = o.system_key
GROUP BY o.system, o.system_key, o.vendor, o.suggested_level, ch.level, o.flags
ORDER BY not_started + in_progress DESC, lower(o.system);
