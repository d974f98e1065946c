/**
 * A counter that moves whenever users, roles or role permissions change, from any connection (the
 * window's process, a job worker, sync applying HQ's roles). Each process caches signed-in users'
 * permissions and re-reads them when the counter moved, so a call does not reload a role's whole
 * permission list every time, and a revoked permission or a deactivated user still counts at once.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 10,
  name: 'auth_epoch',
  sql: `
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
) STRICT;
INSERT INTO auth_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER users_auth_epoch_insert AFTER INSERT ON users BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER users_auth_epoch_update AFTER UPDATE ON users BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER users_auth_epoch_delete AFTER DELETE ON users BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER roles_auth_epoch_insert AFTER INSERT ON roles BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER roles_auth_epoch_update AFTER UPDATE ON roles BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER roles_auth_epoch_delete AFTER DELETE ON roles BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER role_permissions_auth_epoch_insert AFTER INSERT ON role_permissions BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER role_permissions_auth_epoch_update AFTER UPDATE ON role_permissions BEGIN UPDATE auth_epoch SET n = n + 1; END;
CREATE TRIGGER role_permissions_auth_epoch_delete AFTER DELETE ON role_permissions BEGIN UPDATE auth_epoch SET n = n + 1; END;
`,
};
