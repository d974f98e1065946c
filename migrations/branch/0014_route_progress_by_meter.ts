/**
 * Readings were indexed by (route_id, read_date, id) for a route's progress this period, counted
 * from the readings recorded on the route, and for lists filtered by route. That index was one of
 * the five b-trees each reading's commit rewrites, about 4% of every save. Progress now counts the
 * route's installed meters, each probed on meter_readings_meter for a standing regular read in the
 * period, so a meter moved to another route mid-month counts where it hangs now and a route is
 * never more than fully read; its exceptions come from the review queue's partial index. Lists and
 * reports filtered by route and a date range read the date index; a list by route alone walks it.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 14,
  name: 'route_progress_by_meter',
  sql: `
DROP INDEX meter_readings_route;
`,
};
