/**
 * Sync to HQ: the connection and the replication cursor (one row), the sync exceptions queue, and
 * the records HQ owns (read-only here). The journal itself is the outbox, so nothing is copied.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 8,
  name: 'sync',
  sql: `
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  branch_id TEXT NOT NULL,
  -- Configuration, changed only through sync.configure (optimistic concurrency on version).
  hq_url TEXT,
  -- The bearer token HQ issued to this branch. It must be presented as is, so it cannot be
  -- hashed; it is never returned by any procedure nor written to the journal.
  token TEXT,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  -- Bookkeeping of the sync engine (not journaled: recording that a sync ran must not itself
  -- create something to sync).
  confirmed_seq INTEGER NOT NULL DEFAULT 0,
  confirmed_hash TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  confirmed_at TEXT,
  master_cursor INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  clock_offset_ms INTEGER,
  -- One run at a time across processes (the window's scheduler and a "Sync now" job).
  run_owner TEXT,
  run_lease_until TEXT,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_exceptions (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('hq', 'branch')),
  kind TEXT NOT NULL,
  -- One row per problem, however often a retry meets it again.
  dedupe_key TEXT NOT NULL,
  seq INTEGER,
  event_id TEXT,
  message TEXT NOT NULL,
  details_json TEXT,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_by TEXT REFERENCES users(id),
  resolved_at TEXT,
  resolution_note TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, dedupe_key)
) STRICT;
CREATE INDEX sync_exceptions_status ON sync_exceptions (status, last_seen_at);

-- Records owned by HQ: edits here answer FORBIDDEN "owned by HQ". entity and entity_id are the
-- names the journal uses for the local record ('*' = every record of the type); hq_id is how HQ
-- calls it (a role's key, a user's HQ id), so later changes from HQ find it again.
CREATE TABLE hq_owned (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  branch_id TEXT NOT NULL,
  hq_id TEXT NOT NULL,
  master_version INTEGER NOT NULL,
  since TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX hq_owned_hq_id ON hq_owned (entity, hq_id);
`,
};
