-- title: Decisions that could not be attached to a system
-- description: People's decisions in force that the latest classification did not apply: their
--   system is gone (no system of the run has the decision's name, an earlier name, its KL-list entry
--   or any of its documents), or two decided systems were merged and a newer decision that disagrees
--   counts instead (overruled). Nothing is deleted: move the decision (tuscan decide on the system's
--   new name) or take it back.
-- columns:
--   decision_id     the decision's id (the web app's undo uses it)
--   system          the system's name as the person wrote it
--   category        the category decided
--   level           the sikringsniveau decided, or NULL
--   note            why, as the person wrote it
--   decided_by      the person
--   decided_at      when
--   why             no_system, or overruled (a newer decision on the merged system counts)
--   now_part_of     for overruled: the system it was merged into
--   overruled_by    for overruled: the decision_id that counts instead
--   last_attached   the system it was last attached to in an earlier run, or NULL
WITH latest_run AS (
    SELECT max(run_id) AS run_id FROM runs WHERE kind = 'classify' AND status = 'finished'
),
in_force AS (
    SELECT d.*
    FROM decisions d
    QUALIFY row_number() OVER (PARTITION BY system_key ORDER BY decided_at DESC, decision_id DESC) = 1
),
this_run AS (
    SELECT l.* FROM decision_links l, latest_run r WHERE l.run_id = r.run_id
),
earlier AS (
    SELECT l.decision_id, arg_max(l.system, l.run_id) AS system
    FROM decision_links l, latest_run r
    WHERE l.how <> 'overruled' AND l.run_id < r.run_id
    GROUP BY l.decision_id
)
SELECT d.decision_id, d.system, d.category, d.level, d.note, d.decided_by, d.decided_at,
       CASE WHEN l.how = 'overruled' THEN 'overruled' ELSE 'no_system' END AS why,
       CASE WHEN l.how = 'overruled' THEN l.system END AS now_part_of,
       l.overruled_by,
       e.system AS last_attached
FROM in_force d
CROSS JOIN latest_run r
JOIN runs classified ON classified.run_id = r.run_id
LEFT JOIN this_run l ON l.decision_id = d.decision_id
LEFT JOIN earlier e ON e.decision_id = d.decision_id
WHERE (l.decision_id IS NULL OR l.how = 'overruled')
  AND d.decided_at <= classified.started_at
ORDER BY why, lower(d.system);
