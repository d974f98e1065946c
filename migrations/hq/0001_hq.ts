import { sql, type Kysely } from 'kysely';
import type { HqMigration } from './index';

/**
 * HQ schema, written with Kysely's schema builder so the same migration runs on SQLite and on
 * PostgreSQL. Times are ISO-8601 UTC text (sorts and compares the same on both); booleans are
 * integers 0/1; JSON stays text so a stored event hashes byte for byte as the branch sent it.
 * Frozen once released: change the schema with a new numbered migration.
 */
const migration: HqMigration = {
  name: '0001_hq',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('branches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('week_start', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_issued_at', 'text', (c) => c.notNull())
      // A rotated-out token keeps working until this instant, so a branch is not cut off while
      // someone types the new one in.
      .addColumn('previous_token_hash', 'text', (c) => c.unique())
      .addColumn('previous_token_expires_at', 'text')
      .addColumn('head_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('head_hash', 'text', (c) => c.notNull())
      .addColumn('head_at', 'text')
      .addColumn('last_contact_at', 'text')
      .addColumn('clock_offset_ms', 'bigint')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('session_id', 'text')
      .addColumn('shift_id', 'text')
      .addColumn('procedure', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('reason', 'text')
      .addColumn('approval_id', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      // Derived at HQ, not hashed: the branch's local date of `at`, for day/week/month buckets.
      .addColumn('local_date', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pk', ['branch_id', 'seq'])
      .addUniqueConstraint('events_branch_event', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('events_local_date').on('events').columns(['local_date', 'branch_id']).execute();

    await db.schema
      .createTable('sync_exceptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      // One row per problem however often the branch retries: the event id, or the finding's seq.
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint')
      .addColumn('event_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('details_json', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .addColumn('resolution_note', 'text')
      .addUniqueConstraint('sync_exceptions_dedupe', ['branch_id', 'kind', 'dedupe_key'])
      .execute();
    await db.schema.createIndex('sync_exceptions_status').on('sync_exceptions').columns(['status', 'last_seen_at']).execute();

    // Master data: an append-only log of versioned changes; branches read it by cursor.
    await db.schema
      .createTable('master_changes')
      .addColumn('version', 'bigint', (c) => c.primaryKey())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text')
      // null: every branch; otherwise only that branch (targets, branch-specific thresholds).
      .addColumn('branch_id', 'text', (c) => c.references('branches.id'))
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('published_by', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('master_changes_entity').on('master_changes').columns(['entity', 'entity_id', 'version']).execute();

    // One row whose lock serialises publishing, so versions become visible in order and a branch's
    // cursor can never skip a change that commits late.
    await db.schema
      .createTable('master_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO master_head (id, version) VALUES (1, 0)`.execute(db);

    // Every branch record as its latest journal image says (consolidated, any entity).
    await db.schema
      .createTable('records')
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addColumn('last_action', 'text', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('records_pk', ['branch_id', 'entity', 'entity_id'])
      .execute();

    // Meter readings of every branch, typed, for the consolidated readings report.
    await db.schema
      .createTable('meter_readings')
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('read_date', 'text', (c) => c.notNull())
      .addColumn('read_type', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('skip_code', 'text')
      .addColumn('consumption', 'double precision', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('route_id', 'text')
      .addColumn('reader_id', 'text')
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('meter_readings_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('meter_readings_date').on('meter_readings').columns(['read_date', 'branch_id']).execute();

    await db.schema
      .createTable('admin_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

  },
};

export default migration;
