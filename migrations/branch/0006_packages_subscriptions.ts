/**
 * Service package billing and subscription-based service billing (issue 6). Reserved now so the
 * migrations after it (reporting, sync) can be registered in order; its tables land with the
 * functions themselves, before anything is released.
 */
export default {
  version: 6,
  name: 'packages_subscriptions',
  sql: `SELECT 1;`,
};
