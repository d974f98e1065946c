/**
 * Home & Personal Services field work: master data (zones, technicians with skills, zones, weekly
 * hours and time off; the service catalogue; customers with coordinates), appointments and their
 * series (scheduling), dispatch jobs, and home visits with their corrections.
 * Frozen once released: change the schema with a new numbered migration.
 *
 * Instants are ISO-8601 UTC strings from Date.toISOString() (fixed width, so text order is time
 * order); weekly hours are minutes after local midnight in the branch's time zone.
 */
export default {
  version: 5,
  name: 'home_services_field',
  sql: `
CREATE TABLE hs_zones (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE hs_technicians (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  phone TEXT,
  user_id TEXT REFERENCES users(id),
  home_lat REAL,
  home_lng REAL,
  color TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((home_lat IS NULL) = (home_lng IS NULL))
) STRICT;
-- One technician per sign-in, so "my day" is unambiguous.
CREATE UNIQUE INDEX hs_technicians_user ON hs_technicians (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE hs_technician_skills (
  technician_id TEXT NOT NULL REFERENCES hs_technicians(id),
  skill TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  branch_id TEXT NOT NULL,
  PRIMARY KEY (technician_id, skill)
) STRICT;

CREATE TABLE hs_technician_zones (
  technician_id TEXT NOT NULL REFERENCES hs_technicians(id),
  zone_id TEXT NOT NULL REFERENCES hs_zones(id),
  branch_id TEXT NOT NULL,
  PRIMARY KEY (technician_id, zone_id)
) STRICT;

-- The weekly pattern: shifts (work) and breaks, in wall-clock minutes of the branch's zone, so a
-- shift stays 08:00–17:00 local on both sides of a daylight-saving change.
CREATE TABLE hs_technician_hours (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  technician_id TEXT NOT NULL REFERENCES hs_technicians(id),
  kind TEXT NOT NULL CHECK (kind IN ('work', 'break')),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
  CHECK (start_minute < end_minute)
) STRICT;
CREATE INDEX hs_technician_hours_technician ON hs_technician_hours (technician_id, weekday);

CREATE TABLE hs_time_off (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  technician_id TEXT NOT NULL REFERENCES hs_technicians(id),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  -- Removed time off is kept (with who and when) so the calendar's history stays explainable.
  removed_at TEXT,
  removed_by TEXT REFERENCES users(id),
  CHECK (starts_at < ends_at)
) STRICT;
CREATE INDEX hs_time_off_technician ON hs_time_off (technician_id, starts_at) WHERE removed_at IS NULL;
CREATE INDEX hs_time_off_period ON hs_time_off (starts_at, ends_at) WHERE removed_at IS NULL;

CREATE TABLE hs_services (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  sku TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
  buffer_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  slot_capacity INTEGER CHECK (slot_capacity IS NULL OR slot_capacity >= 1),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE hs_service_skills (
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  skill TEXT NOT NULL,
  min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
  branch_id TEXT NOT NULL,
  PRIMARY KEY (service_id, skill)
) STRICT;

CREATE TABLE hs_customers (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  customer_no TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  address TEXT NOT NULL,
  lat REAL,
  lng REAL,
  zone_id TEXT REFERENCES hs_zones(id),
  notes TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((lat IS NULL) = (lng IS NULL))
) STRICT;
CREATE INDEX hs_customers_name ON hs_customers (name COLLATE NOCASE);
CREATE INDEX hs_customers_phone ON hs_customers (phone);
CREATE INDEX hs_customers_zone ON hs_customers (zone_id);

-- A recurring series: its occurrences keep the local wall-clock time of the first one.
CREATE TABLE hs_series (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
  interval INTEGER NOT NULL CHECK (interval BETWEEN 1 AND 12),
  count INTEGER NOT NULL CHECK (count >= 2),
  local_time TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  first_date TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE hs_appointments (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  -- Shown as BK-000123; one sequence per branch.
  number INTEGER NOT NULL UNIQUE,
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  local_date TEXT NOT NULL,
  -- Frozen from the catalogue at booking: a later catalogue change does not move booked work.
  duration_minutes INTEGER NOT NULL,
  buffer_minutes INTEGER NOT NULL,
  price_minor INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'rescheduled', 'completed', 'cancelled', 'no_show')),
  channel TEXT NOT NULL CHECK (channel IN ('phone', 'counter', 'online', 'field')),
  notes TEXT,
  series_id TEXT REFERENCES hs_series(id),
  series_index INTEGER,
  detached INTEGER NOT NULL DEFAULT 0 CHECK (detached IN (0, 1)),
  reschedule_count INTEGER NOT NULL DEFAULT 0,
  late_cancel INTEGER NOT NULL DEFAULT 0 CHECK (late_cancel IN (0, 1)),
  cancel_reason_code TEXT,
  cancel_reason TEXT,
  closed_at TEXT,
  closed_by TEXT REFERENCES users(id),
  booked_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (starts_at < ends_at)
) STRICT;
-- The availability search reads only the bookings that hold a slot, by time, thousands per call:
-- the index carries every column it reads, so no table row is visited.
CREATE INDEX hs_appointments_active ON hs_appointments (starts_at, ends_at, id, buffer_minutes, service_id, customer_id, status)
  WHERE status IN ('requested', 'confirmed', 'rescheduled');
-- List filters, each ending in the keyset (starts_at, id).
CREATE INDEX hs_appointments_start ON hs_appointments (starts_at, id);
CREATE INDEX hs_appointments_local_date ON hs_appointments (local_date, starts_at);
CREATE INDEX hs_appointments_status ON hs_appointments (status, starts_at, id);
CREATE INDEX hs_appointments_customer ON hs_appointments (customer_id, starts_at, id);
CREATE INDEX hs_appointments_service ON hs_appointments (service_id, starts_at, id);
CREATE INDEX hs_appointments_series ON hs_appointments (series_id, series_index);

CREATE TABLE hs_jobs (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL UNIQUE REFERENCES hs_appointments(id),
  technician_id TEXT REFERENCES hs_technicians(id),
  state TEXT NOT NULL CHECK (state IN ('unassigned', 'assigned', 'en_route', 'on_site', 'completed', 'cancelled')),
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  sla_due_at TEXT NOT NULL,
  assigned_at TEXT,
  en_route_at TEXT,
  on_site_at TEXT,
  completed_at TEXT,
  cancelled_at TEXT,
  reassign_count INTEGER NOT NULL DEFAULT 0,
  last_reason_code TEXT,
  last_reason TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (state <> 'unassigned' OR technician_id IS NULL),
  CHECK (state NOT IN ('assigned', 'en_route', 'on_site', 'completed') OR technician_id IS NOT NULL)
) STRICT;
CREATE INDEX hs_jobs_technician ON hs_jobs (technician_id, state);
-- Who holds each booking, read beside the booking by the availability search without a table visit.
CREATE INDEX hs_jobs_appointment_technician ON hs_jobs (appointment_id, technician_id);
CREATE INDEX hs_jobs_state ON hs_jobs (state);

-- Last line of defence behind the booking and dispatch rules (which also widen by travel and
-- buffer): whatever code path writes, one technician never holds two overlapping open jobs.
-- Intervals are half-open: 10:00–11:00 and 11:00–12:00 do not overlap.
CREATE TRIGGER hs_jobs_no_double_booking_insert BEFORE INSERT ON hs_jobs
WHEN NEW.technician_id IS NOT NULL AND NEW.state IN ('assigned', 'en_route', 'on_site')
BEGIN
  SELECT RAISE(ABORT, 'hs_jobs: technician already has a job at this time')
  FROM hs_appointments me
    JOIN hs_appointments other ON other.starts_at < me.ends_at AND me.starts_at < other.ends_at AND other.id <> me.id
    JOIN hs_jobs j ON j.appointment_id = other.id
  WHERE me.id = NEW.appointment_id AND j.technician_id = NEW.technician_id AND j.state IN ('assigned', 'en_route', 'on_site');
END;
CREATE TRIGGER hs_jobs_no_double_booking_update BEFORE UPDATE OF technician_id, state ON hs_jobs
WHEN NEW.technician_id IS NOT NULL AND NEW.state IN ('assigned', 'en_route', 'on_site')
BEGIN
  SELECT RAISE(ABORT, 'hs_jobs: technician already has a job at this time')
  FROM hs_appointments me
    JOIN hs_appointments other ON other.starts_at < me.ends_at AND me.starts_at < other.ends_at AND other.id <> me.id
    JOIN hs_jobs j ON j.appointment_id = other.id
  WHERE me.id = NEW.appointment_id AND j.id <> NEW.id AND j.technician_id = NEW.technician_id AND j.state IN ('assigned', 'en_route', 'on_site');
END;
CREATE TRIGGER hs_appointments_no_double_booking BEFORE UPDATE OF starts_at, ends_at ON hs_appointments
BEGIN
  SELECT RAISE(ABORT, 'hs_appointments: technician already has a job at this time')
  FROM hs_jobs mine
    JOIN hs_jobs j ON j.technician_id = mine.technician_id AND j.id <> mine.id AND j.state IN ('assigned', 'en_route', 'on_site')
    JOIN hs_appointments other ON other.id = j.appointment_id
  WHERE mine.appointment_id = NEW.id AND mine.state IN ('assigned', 'en_route', 'on_site')
    AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at;
END;

CREATE TABLE hs_visits (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  job_id TEXT NOT NULL UNIQUE REFERENCES hs_jobs(id),
  appointment_id TEXT NOT NULL UNIQUE REFERENCES hs_appointments(id),
  -- The EVV elements as they were at the visit: service type, recipient, provider (and below:
  -- date, location, start and end time). Names are copied so a renamed technician or service
  -- does not rewrite what was verified.
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  evv_service_type TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  evv_recipient TEXT NOT NULL,
  technician_id TEXT REFERENCES hs_technicians(id),
  evv_provider TEXT,
  local_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'missed')),
  verification TEXT NOT NULL CHECK (verification IN ('verified', 'warning', 'exception')),
  check_in_at TEXT,
  check_in_lat REAL,
  check_in_lng REAL,
  check_in_accuracy_m REAL,
  check_in_distance_m REAL,
  check_in_level TEXT CHECK (check_in_level IN ('verified', 'warning', 'exception')),
  check_in_explanation TEXT,
  checked_in_by TEXT REFERENCES users(id),
  check_out_at TEXT,
  check_out_lat REAL,
  check_out_lng REAL,
  check_out_accuracy_m REAL,
  check_out_distance_m REAL,
  check_out_level TEXT CHECK (check_out_level IN ('verified', 'warning', 'exception')),
  check_out_explanation TEXT,
  checked_out_by TEXT REFERENCES users(id),
  note TEXT,
  outcome TEXT CHECK (outcome IN ('completed', 'follow_up')),
  signature_png TEXT,
  signed_by TEXT,
  photo_refs_json TEXT NOT NULL DEFAULT '[]',
  corrected INTEGER NOT NULL DEFAULT 0 CHECK (corrected IN (0, 1)),
  missed_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (status <> 'completed' OR (check_in_at IS NOT NULL AND check_out_at IS NOT NULL)),
  CHECK (check_out_at IS NULL OR check_in_at < check_out_at)
) STRICT;
CREATE INDEX hs_visits_date ON hs_visits (local_date, id);
CREATE INDEX hs_visits_status ON hs_visits (status, local_date, id);
CREATE INDEX hs_visits_verification ON hs_visits (verification, local_date, id);
CREATE INDEX hs_visits_technician ON hs_visits (technician_id, local_date, id);

CREATE TABLE hs_visit_corrections (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  visit_id TEXT NOT NULL REFERENCES hs_visits(id),
  reason_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  changes_json TEXT NOT NULL,
  corrected_by TEXT NOT NULL REFERENCES users(id),
  corrected_at TEXT NOT NULL
) STRICT;
CREATE INDEX hs_visit_corrections_visit ON hs_visit_corrections (visit_id, corrected_at);
`,
};
