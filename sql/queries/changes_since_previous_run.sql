-- title: Ændringer siden forrige kørsel
-- description: Systemer der er nye, ændrede (kategori, sikringsniveau eller flag) eller forsvundne
--   mellem de to seneste klassifikationskørsler (fra inventory_history). Efter første kørsel er alle
--   systemer nye.
-- columns:
--   change             new (ny), changed (ændret) eller gone (forsvundet)
--   system             systemets navn
--   category           kategorien nu (NULL når forsvundet)
--   previous_category  kategorien ved forrige kørsel (NULL når ny)
--   suggested_level    sikringsniveauet nu
--   previous_level     sikringsniveauet ved forrige kørsel
--   flags              flagene nu
--   previous_flags     flagene ved forrige kørsel
--   run_id             den seneste klassifikationskørsel
--   previous_run_id    kørslen før den (NULL efter første kørsel)
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
