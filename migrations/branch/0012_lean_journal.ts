/**
 * Every save appends a journal event, and each index of the journal is a page rewritten in that
 * save's commit. Two of them served no query: the unique index on `id` (ids are ULIDs minted by
 * one generator per branch and nothing looks an event up by id: the chain, sync and the viewer all
 * go by `seq`) and the index on `at` (the viewer and the timeline read newest first by `seq` and
 * filter the time there; SQLite's plan never chose it). SQLite cannot drop a column's UNIQUE in
 * place, so the table is rebuilt: the same columns in the same order, every row copied as it is, so
 * every hash still recomputes. The append-only triggers go with the old table and are recreated.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 12,
  name: 'lean_journal',
  sql: `
CREATE TABLE audit_events_rebuilt (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  branch_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  session_id TEXT,
  shift_id TEXT,
  procedure TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  reason TEXT,
  approval_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_events_rebuilt SELECT * FROM audit_events ORDER BY seq;
DROP TABLE audit_events;
ALTER TABLE audit_events_rebuilt RENAME TO audit_events;
-- A record's trail, and the viewer's entity filter.
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, seq);
-- The viewer's and the dashboards' user filter.
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;
`,
};
