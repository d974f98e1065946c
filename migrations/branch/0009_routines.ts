/**
 * Background routines (daily preventive-maintenance generation, missed-visit detection, subscription
 * billing): when each last ran and how it went, so a restart catches up on a missed run once and
 * never runs one twice. Bookkeeping, like sync_state: the work itself goes through the pipeline and
 * is journaled there; recording that a routine ran is not.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 9,
  name: 'routines',
  sql: `
CREATE TABLE routine_state (
  name TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  -- Any attempt, skipped ones included.
  last_attempt_at TEXT,
  -- The last attempt that dispatched the procedure (whether it answered ok or failed).
  last_run_at TEXT,
  -- Daily routines: the scheduled instant (UTC) the last run stood for; a slot runs once.
  last_slot TEXT,
  outcome TEXT CHECK (outcome IN ('ok', 'failed', 'skipped')),
  message TEXT,
  run_as TEXT REFERENCES users(id),
  -- The job the last run started, if its procedure starts one (a run waits while it is running).
  job_id TEXT,
  -- "Run now": who asked and when; the scheduler runs it as that user and clears it.
  requested_by TEXT REFERENCES users(id),
  requested_at TEXT,
  -- One run at a time even if two processes open the store.
  run_owner TEXT,
  run_lease_until TEXT,
  updated_at TEXT NOT NULL
) STRICT;
`,
};
