-- title: What changed since the previous run
-- description: Systems that are new, changed (category, level or flags) or gone between the two
--   latest classification runs (from inventory_history). After the first run every system is new.
-- columns:
--   change             new, changed or gone
--   system             the system's name
--   category           category now (NULL when gone)
--   previous_category  category in the previous run (NULL when new)
--   suggested_level    level now
--   previous_level     level in the previous run
--   flags              flags now
--   previous_flags     flags in the previous run
--   run_id             the latest classification run
--   previous_run_id    the run before it (NULL after the first run)
WITH runs_seen AS (
    SELECT DISTINCT run_id FROM inventory_history
),
latest AS (
    SELECT max(run_id) AS run_id FROM runs_seen
),
previous AS (
    SELECT max(run_id) AS run_id FROM runs_seen WHERE run_id < (SELECT run_id FROM latest)
),
now AS (
    SELECT * FROM inventory_history WHERE run_id = (SELECT run_id FROM latest)
),
before AS (
    SELECT * FROM inventory_history WHERE run_id = (SELECT run_id FROM previous)
)
SELECT
    CASE WHEN b.system_key IS NULL THEN 'new'
         WHEN n.system_key IS NULL THEN 'gone'
         ELSE 'changed' END AS change,
    coalesce(n.system, b.system) AS system,
    n.category,
    b.category AS previous_category,
    n.suggested_level,
    b.suggested_level AS previous_level,
    n.flags,
    b.flags AS previous_flags,
    (SELECT run_id FROM latest) AS run_id,
    (SELECT run_id FROM previous) AS previous_run_id
FROM now n
FULL OUTER JOIN before b ON b.system_key = n.system_key
WHERE b.system_key IS NULL OR n.system_key IS NULL
   OR n.category IS DISTINCT FROM b.category
   OR n.suggested_level IS DISTINCT FROM b.suggested_level
   OR list_sort(coalesce(n.flags, []::VARCHAR[])) IS DISTINCT FROM list_sort(coalesce(b.flags, []::VARCHAR[]))
ORDER BY 1 DESC, lower(coalesce(n.system, b.system));
