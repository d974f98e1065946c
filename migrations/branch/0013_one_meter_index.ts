/**
 * A meter's reads had two indexes on (meter_id, read_date): one over every read, for the chain and
 * the history, and a partial unique one over the regular reads still standing, so a retried entry
 * or a re-imported file could not count a day twice. Each is a page rewritten in every reading's
 * commit. One unique index now does both: its third column is '' for a standing regular read and
 * the read's own id otherwise, so two standing regular reads of a meter on one day collide and
 * every other read is unique by its id. It keeps the old name, which the VEE queries pin.
 * Within one day a meter's reads are ordered by that column, not by id; queries that page by
 * (read_date, id) sort that day's few reads themselves.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 13,
  name: 'one_meter_index',
  sql: `
DROP INDEX meter_readings_one_regular_per_day;
DROP INDEX meter_readings_meter;
CREATE UNIQUE INDEX meter_readings_meter ON meter_readings (
  meter_id,
  read_date,
  (CASE WHEN purpose = 'regular' AND status <> 'reread' THEN '' ELSE id END)
);
`,
};
