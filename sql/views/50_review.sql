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

-- review_queue: the systems a person should look at, in the order to look at them: unresolved ones
-- (uafklaret), names that matched two list entries almost equally well, list matches close to the
-- threshold, and own solutions resting on a single piece of login evidence. Systems a person already
-- decided are left out (orphaned decisions are found by tuscan.serve, which knows how names are
-- normalised).
--
--   position        1-based place in the queue
--   system          the system's name
--   system_key      the normalised name (decisions are keyed on it)
--   vendor          supplier, when known
--   category        its current category
--   why             list of reasons: unknown, ambiguous, low_score, weak_evidence
--   matched_name    the list entry it matched, if any
--   match_score     fuzzy-match score 0–100
--   login_evidence  number of login evidence rows
--   reason          tuscan's reason for the current category
CREATE OR REPLACE VIEW review_queue AS
WITH logins AS (
    SELECT system_id, count(*) AS n
    FROM system_evidence
    WHERE kind IN ('login', 'business_login', 'login_page', 'own_domain_login')
    GROUP BY system_id
),
flagged AS (
    SELECT s.system, s.system_key, s.vendor, s.category, s.matched_name, s.match_score, s.reason,
           coalesce(l.n, 0) AS login_evidence,
           list_filter([
               CASE WHEN s.category = 'unknown' THEN 'unknown' END,
               CASE WHEN s.ambiguous THEN 'ambiguous' END,
               CASE WHEN s.matched_list IS NOT NULL AND s.match_score < 95 THEN 'low_score' END,
               CASE WHEN s.category = 'own' AND coalesce(l.n, 0) <= 1 THEN 'weak_evidence' END
           ], lambda x: x IS NOT NULL) AS why
    FROM systems s
    LEFT JOIN logins l ON l.system_id = s.system_id
    WHERE s.decided_by <> 'person'
)
SELECT row_number() OVER (ORDER BY
           CASE WHEN list_contains(why, 'unknown') THEN 1 WHEN list_contains(why, 'ambiguous') THEN 2
                WHEN list_contains(why, 'low_score') THEN 3 ELSE 4 END,
           lower(system), system_key) AS position,
       system, system_key, vendor, category, why, matched_name, match_score, login_evidence, reason
FROM flagged
WHERE len(why) > 0
ORDER BY position;
