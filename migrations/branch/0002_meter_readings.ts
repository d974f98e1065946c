/**
 * Meter reading logging: routes (a reader's walk), accounts, meters and their readings.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 2,
  name: 'meter_readings',
  sql: `
CREATE TABLE routes (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  account_no TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  phone TEXT,
  address TEXT NOT NULL,
  route_id TEXT REFERENCES routes(id),
  sequence INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('active','inactive')),
  category TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX accounts_route_sequence ON accounts (route_id, sequence, id);
CREATE INDEX accounts_name ON accounts (name COLLATE NOCASE);
CREATE INDEX accounts_phone ON accounts (phone);

CREATE TABLE meters (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  serial TEXT NOT NULL UNIQUE COLLATE NOCASE,
  dials INTEGER NOT NULL CHECK (dials BETWEEN 3 AND 9),
  multiplier REAL NOT NULL CHECK (multiplier > 0),
  account_id TEXT REFERENCES accounts(id),
  status TEXT NOT NULL CHECK (status IN ('installed','removed')),
  installed_on TEXT NOT NULL,
  removed_on TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- An account has at most one meter on the wall; the old one is removed before the new one goes up.
CREATE UNIQUE INDEX meters_one_installed_per_account ON meters (account_id) WHERE status = 'installed';
CREATE INDEX meters_account ON meters (account_id);

CREATE TABLE meter_readings (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  meter_id TEXT NOT NULL REFERENCES meters(id),
  -- Where the meter hung and who walked it when it was read: reports group by these as they were.
  account_id TEXT NOT NULL REFERENCES accounts(id),
  route_id TEXT REFERENCES routes(id),
  register TEXT NOT NULL DEFAULT '1',
  value INTEGER NOT NULL CHECK (value >= 0),
  original_value INTEGER,
  read_date TEXT NOT NULL,
  read_type TEXT NOT NULL CHECK (read_type IN ('actual','customer','estimated')),
  purpose TEXT NOT NULL CHECK (purpose IN ('regular','removal','install')),
  skip_code TEXT,
  remark TEXT,
  consumption REAL NOT NULL,
  -- The read this one was measured from; a re-read or a correction re-links its successor.
  previous_reading_id TEXT REFERENCES meter_readings(id),
  previous_value INTEGER,
  previous_read_date TEXT,
  status TEXT NOT NULL CHECK (status IN ('posted','exception','reread')),
  resolution TEXT CHECK (resolution IN ('accepted','corrected')),
  exceptions_json TEXT NOT NULL DEFAULT '[]',
  review_reason TEXT,
  reviewed_by TEXT REFERENCES users(id),
  reviewed_at TEXT,
  reader_id TEXT NOT NULL REFERENCES users(id),
  source TEXT NOT NULL CHECK (source IN ('manual','import','estimate')),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- One regular read per meter and day: a retried entry or a re-imported file cannot double-count.
-- A read sent back for re-reading leaves the index, so the re-read may carry the same date.
CREATE UNIQUE INDEX meter_readings_one_regular_per_day ON meter_readings (meter_id, read_date)
  WHERE purpose = 'regular' AND status <> 'reread';
-- "Previous reading of a meter" and its history, newest first.
CREATE INDEX meter_readings_meter ON meter_readings (meter_id, read_date, id);
-- List filters, each ending in the keyset (read_date DESC, id DESC). Every index is paid for on
-- each of the thousands of inserts an import makes, so there are few: an account's reads are found
-- through its one or two meters, and a reader's through the date index.
CREATE INDEX meter_readings_date ON meter_readings (read_date, id);
-- The review queue. Partial: the posted majority never pays for it on insert.
CREATE INDEX meter_readings_exceptions ON meter_readings (read_date, id) WHERE status = 'exception';
CREATE INDEX meter_readings_route ON meter_readings (route_id, read_date, id);
`,
};
