-- title: Decisions this month
-- description: Every decision a person recorded in the current calendar month (tuscan decide or
--   `tuscan serve`), newest first, including decisions taken back again (undone_by says who). Use it
--   for the monthly sign-off: what was decided, by whom, and why.
-- param: month = current: the month to list as YYYY-MM, e.g. 2026-11 ('current' = this month)
-- columns:
--   decided_at   when the decision was recorded
--   system       the system's name as the person wrote it
--   category     the category decided: own, shared, common_public, not_tu or unknown
--   level        the sikringsniveau decided (Lav, Betydelig) or NULL
--   note         why, as the person wrote it
--   decided_by   the person
--   in_force     true when this is the decision that counts for the system now
--   undone_by    who took it back, or NULL
--   undone_at    when it was taken back
WITH bounds AS (
    SELECT CASE WHEN $month = 'current' THEN date_trunc('month', current_date)
                ELSE strptime($month || '-01', '%Y-%m-%d')::DATE END AS first_day
)
SELECT decided_at, system, category, level, note, decided_by, in_force, undone_by, undone_at
FROM decision_history, bounds
WHERE decided_at >= first_day AND decided_at < first_day + INTERVAL 1 MONTH
ORDER BY decided_at DESC, decision_id DESC;
