-- decision_history: every decision a person recorded, in force or taken back (undo), newest first.
--
--   decision_id  the decision's id
--   system       the system's name as the person wrote it
--   system_key   the normalised name decisions are keyed on
--   category     own, shared, common_public, not_tu or unknown
--   level        Lav, Betydelig or NULL
--   note         why, as the person wrote it
--   decided_by   the person
--   decided_at   when
--   undone_by    who took it back (NULL while it is in force or was replaced by a newer one)
--   undone_at    when it was taken back
--   in_force     true for the newest decision per system that was not taken back: the one that counts
CREATE OR REPLACE VIEW decision_history AS
WITH all_decisions AS (
    SELECT decision_id, system, system_key, category, level, note, decided_by, decided_at,
           NULL::VARCHAR AS undone_by, NULL::TIMESTAMP AS undone_at
    FROM decisions
    UNION ALL
    SELECT decision_id, system, system_key, category, level, note, decided_by, decided_at, undone_by, undone_at
    FROM decision_undos
)
SELECT *,
       undone_at IS NULL AND decision_id = max(decision_id) FILTER (WHERE undone_at IS NULL)
           OVER (PARTITION BY system_key) AS in_force
FROM all_decisions
ORDER BY decided_at DESC, decision_id DESC;

-- checklist_current: the current status of each checklist item of each system (the newest entry).
-- Items nobody has touched have no row: they are 'not_started'.
--
--   system      the system's name when the status was last set
--   system_key  the normalised name (join inventory.system_key)
--   item        the checklist item (tuscan.rules.CHECKLIST key)
--   status      not_started, in_progress, done (afklaret) or not_relevant
--   note        the note given with it
--   set_by      who set it
--   set_at      when
CREATE OR REPLACE VIEW checklist_current AS
SELECT system, system_key, item, status, note, set_by, set_at
FROM checklist_status
QUALIFY row_number() OVER (PARTITION BY system_key, item ORDER BY set_at DESC, entry_id DESC) = 1;
