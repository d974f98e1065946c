import type { Kysely } from 'kysely';
import type { HqMigration } from './index';

/**
 * Typed consolidated tables for the money- and workload-bearing reports HQ serves by branch:
 * counter transactions, utility bills, appointments, home visits and subscription invoices. Each holds only
 * what its branch report counts; the whole record stays in the journal images HQ keeps.
 * Money is integer minor units (bigint); flags are integers 0/1, as in 0001.
 * Once it has run, HQ fills these tables from the events it already holds (`consolidates`). Each
 * statement is "if not exists": on SQLite, DDL is not transactional, and a fill that failed
 * leaves the migration unrecorded, to run again over what it created.
 * Frozen once released: change the schema with a new numbered migration.
 */
const migration: HqMigration = {
  name: '0002_money_and_workload',
  consolidates: ['payment', 'vend', 'packageHolding', 'subscriptionPayment', 'bill', 'hsAppointment', 'hsVisit', 'subscriptionInvoice'],
  async up(db: Kysely<unknown>) {
    // One row per money movement at a branch counter, derived from the journal event that made it
    // (the branch's counter_transactions row is not journaled itself): its id is the event's id.
    await db.schema
      .createTable('counter_transactions')
      .ifNotExists()
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('tender', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      // The branch's local date of `at`: the day the branch's collections report counts it on.
      .addColumn('local_date', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('counter_transactions_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('counter_transactions_date').ifNotExists().on('counter_transactions').columns(['local_date', 'branch_id']).execute();

    // Posted bills and credit notes (drafts are never journaled), by the branch-local issue date.
    await db.schema
      .createTable('bills')
      .ifNotExists()
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('tax_minor', 'bigint', (c) => c.notNull())
      .addColumn('consumption', 'double precision', (c) => c.notNull())
      // 0/1: a bill the run estimated, and one that raised an exception (high/low, negative…).
      .addColumn('estimated', 'integer', (c) => c.notNull())
      .addColumn('with_exceptions', 'integer', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('bills_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('bills_issue_date').ifNotExists().on('bills').columns(['issue_date', 'branch_id']).execute();

    // Home-service appointments by the branch-local date of their start.
    await db.schema
      .createTable('appointments')
      .ifNotExists()
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('local_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('duration_minutes', 'integer', (c) => c.notNull())
      .addColumn('price_minor', 'bigint', (c) => c.notNull())
      .addColumn('late_cancel', 'integer', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('appointments_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('appointments_date').ifNotExists().on('appointments').columns(['local_date', 'branch_id']).execute();

    // Home visits (check-in to check-out, or missed) by the branch-local date of the appointment.
    await db.schema
      .createTable('visits')
      .ifNotExists()
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('local_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verification', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('corrected', 'integer', (c) => c.notNull())
      // As the branch's visits report works it out from check-in and check-out; null until checked out.
      .addColumn('minutes_on_site', 'integer')
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('visits_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('visits_date').ifNotExists().on('visits').columns(['local_date', 'branch_id']).execute();

    // Subscription invoices and credit notes by issue date.
    await db.schema
      .createTable('subscription_invoices')
      .ifNotExists()
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscription_invoices_pk', ['branch_id', 'id'])
      .execute();
    await db.schema.createIndex('subscription_invoices_date').ifNotExists().on('subscription_invoices').columns(['issue_date', 'branch_id']).execute();
  },
};

export default migration;
