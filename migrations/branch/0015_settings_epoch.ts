/**
 * A token that changes whenever a stored setting changes, from any connection (the window's
 * process, a job worker, sync applying HQ's settings). Each connection caches the settings it read
 * and re-reads them only when the token moved: a save reads its rules' thresholds every time, and
 * one lookup of a one-row table is cheaper than looking each setting up.
 * The token is random, not a counter: a counter bumped inside a transaction that then rolled back
 * would be bumped again to the same number by the next change, and a cache filled inside the
 * rolled-back transaction would pass for that change's. (Shifted to 53 bits, it is exact as a JS number.)
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 15,
  name: 'settings_epoch',
  sql: `
CREATE TABLE settings_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token INTEGER NOT NULL
) STRICT;
INSERT INTO settings_epoch (id, token) VALUES (1, random() >> 11);

CREATE TRIGGER settings_epoch_insert AFTER INSERT ON settings BEGIN UPDATE settings_epoch SET token = random() >> 11; END;
CREATE TRIGGER settings_epoch_update AFTER UPDATE ON settings BEGIN UPDATE settings_epoch SET token = random() >> 11; END;
CREATE TRIGGER settings_epoch_delete AFTER DELETE ON settings BEGIN UPDATE settings_epoch SET token = random() >> 11; END;
`,
};
