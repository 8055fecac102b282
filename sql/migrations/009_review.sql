-- What people record while reviewing the inventory (`tuscan serve`, `tuscan decide`): the status of
-- each own TU-solution's checklist items, and decisions taken back (undo).
--
-- Like `decisions`, these tables are written only by a person's action through tuscan.decisions and
-- never by a flow, so nothing a person entered is overwritten by a re-run. They are keyed on the
-- system key (the normalised name), which is stable across classification runs. Both are append-only
-- logs: the current state is the newest row (views in sql/views/50_review.sql).

CREATE SEQUENCE checklist_entry_id_seq START 1;

-- One row per change of one checklist item (Delrapport 1, "Tjekliste for egne løsninger") of one system.
CREATE TABLE checklist_status (
    entry_id    INTEGER PRIMARY KEY DEFAULT nextval('checklist_entry_id_seq'),
    system      VARCHAR NOT NULL,              -- the system's name when the status was set
    system_key  VARCHAR NOT NULL,
    item        VARCHAR NOT NULL,              -- tuscan.rules.CHECKLIST key: signing, pid_rid, tu_agreement, …
    status      VARCHAR NOT NULL,              -- not_started, in_progress, done, not_relevant
    note        VARCHAR,
    set_by      VARCHAR NOT NULL,              -- the person
    set_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- A decision a person took back: the row moves here from `decisions` (which classification reads),
-- so the rules, or the person's earlier decision, apply again and the undone one is still on record.
CREATE TABLE decision_undos (
    decision_id INTEGER NOT NULL,              -- decisions.decision_id it had
    system      VARCHAR NOT NULL,
    system_key  VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,
    level       VARCHAR,
    note        VARCHAR,
    decided_by  VARCHAR,
    decided_at  TIMESTAMP NOT NULL,
    undone_by   VARCHAR NOT NULL,              -- the person who took it back
    undone_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
