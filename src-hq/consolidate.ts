import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { JournalRow } from '../src-shared/contracts/sync';
import { localDateIn } from './local-date';
import type { AppointmentsTable, BillsTable, CounterTransactionsTable, HqDatabase, MeterReadingsTable, RecordsTable, SubscriptionInvoicesTable, VisitsTable } from './db/schema';

/**
 * Materialises branch records from the journal (the journal is the outbox, so every event carries
 * the image HQ needs). Entities HQ reports on go to their typed consolidated table; every other
 * entity's images are folded into `records`, the consolidated copy of every record of every
 * branch. Runs in the upload's transaction, so what HQ reports always matches the events it holds.
 */
const CHUNK = 400;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a consolidator knows about the batch's branch. */
export interface ConsolidateContext {
  branchId: string;
  /** The branch's local date of an instant (its time zone), for day/week/month buckets. */
  localDate: (instant: string) => string;
}

/**
 * A typed consolidated table fed by journal entities; add one per report HQ serves. It is given
 * every event of its entities in the batch, in sequence order. `exclusive`: the entity's events
 * carry the whole record as after-image, so it is kept only in its typed table, not twice (the
 * events table keeps every image it ever had); otherwise its images are also folded into
 * `records` (entities whose events carry only what changed, or money movements read off events).
 */
interface TypedConsolidator {
  entities: readonly string[];
  exclusive: boolean;
  apply(trx: Transaction<HqDatabase>, ctx: ConsolidateContext, events: readonly JournalRow[]): Promise<void>;
}

/**
 * Per record, the row from its latest event that describes it: an event whose image does not
 * (a settlement noted on a bill, a partial image) leaves the record as the event before it said.
 */
function latestRows<R>(events: readonly JournalRow[], toRow: (event: JournalRow, image: Json) => R | null): R[] {
  // Newest first, so only a record's latest image is parsed unless it does not describe the record.
  const latest = new Map<string, R>();
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if (latest.has(event.entity_id) || event.after_json === null) continue;
    const image = parse(event.after_json);
    if (!isObject(image)) continue;
    const row = toRow(event, image);
    if (row !== null) latest.set(event.entity_id, row);
  }
  return [...latest.values()];
}

/** Inserts rows, replacing the listed columns of a row already held for the same key. */
async function upsertRows<T extends keyof HqDatabase & string>(
  trx: Transaction<HqDatabase>,
  table: T,
  rows: readonly HqDatabase[T][],
  key: readonly string[],
  update: readonly string[],
): Promise<void> {
  // Kysely cannot type a table chosen at run time; the rows are typed by the caller instead.
  const loose = trx as unknown as Transaction<Record<string, Record<string, unknown>>>;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await loose
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as unknown as Record<string, unknown>[])
      .onConflict((oc) => {
        const columns = oc.columns(key as string[]);
        return update.length === 0
          ? columns.doNothing()
          : columns.doUpdateSet(Object.fromEntries(update.map((c) => [c, sql.ref(`excluded.${c}`)])) as never);
      })
      .execute();
  }
}

/** What the readings report needs from a reading's journal image; the rest stays in `records`. */
const readingImage = z.object({
  id: z.string(),
  readDate: z.string(),
  readType: z.string(),
  purpose: z.string(),
  status: z.string(),
  skipCode: z.string().nullable().default(null),
  consumption: z.number(),
  accountId: z.string().nullable().default(null),
  routeId: z.string().nullable().default(null),
  readerId: z.string().nullable().default(null),
});

const meterReadings: TypedConsolidator = {
  entities: ['meterReading'],
  exclusive: true,
  async apply(trx, { branchId }, events) {
    const rows = latestRows<MeterReadingsTable>(events, (event, image) => {
      // An image without what the report needs (none today) leaves the row as it was.
      const r = readingImage.safeParse(image);
      if (!r.success) return null;
      return {
        branch_id: branchId,
        id: r.data.id,
        read_date: r.data.readDate,
        read_type: r.data.readType,
        purpose: r.data.purpose,
        status: r.data.status,
        skip_code: r.data.skipCode,
        consumption: r.data.consumption,
        account_id: r.data.accountId,
        route_id: r.data.routeId,
        reader_id: r.data.readerId,
        last_seq: event.seq,
      };
    });
    await upsertRows(trx, 'meter_readings', rows, ['branch_id', 'id'], ['read_date', 'read_type', 'purpose', 'status', 'skip_code', 'consumption', 'account_id', 'route_id', 'reader_id', 'last_seq']);
  },
};

/*
 * Counter transactions. The branch writes one counter_transactions row beside each journal event
 * that moves money at the counter (src-main/modules/energy/counter/shifts.ts,
 * recordCounterTransaction), in the same call, so the event's `at` is the row's created_at and
 * its image gives the type, tender and amount the branch recorded. Each rule below mirrors one
 * recordCounterTransaction call.
 */
const money = z.number().int();
const paymentImage = z.object({ amount: money, tender: z.string() });
const vendImage = z.object({ tender: z.string(), split: z.object({ amount: money }) });
const vendReversalImage = z.object({ tender: z.string(), reversal: z.object({ refunded: money }) });
const packageSaleImage = z.object({ priceMinor: money, receipt: z.object({ tender: z.string() }) });
const packageRefundImage = z.object({ refundMinor: money });

type Movement = Pick<CounterTransactionsTable, 'type' | 'tender' | 'amount_minor'>;

function counterMovement(event: JournalRow): Movement | null {
  const image = parse(event.after_json);
  if (!isObject(image)) return null;
  const read = <T>(schema: z.ZodType<T>): T | null => {
    const r = schema.safeParse(image);
    return r.success ? r.data : null;
  };
  switch (event.entity) {
    case 'payment': {
      const p = read(paymentImage);
      if (!p) return null;
      if (event.action === 'received') return { type: 'payment', tender: p.tender, amount_minor: p.amount };
      if (event.action === 'reversed') return { type: 'payment_reversal', tender: p.tender, amount_minor: -p.amount };
      return null;
    }
    case 'vend': {
      if (event.action === 'vended') {
        const v = read(vendImage);
        return v && { type: 'vend', tender: v.tender, amount_minor: v.split.amount };
      }
      if (event.action === 'emergency credit issued') return { type: 'emergency_credit', tender: 'none', amount_minor: 0 };
      if (event.action === 'reversed') {
        const v = read(vendReversalImage);
        // Kept as credit: no money leaves the drawer, but the reversal is still a transaction.
        return v && { type: 'vend_reversal', tender: v.reversal.refunded ? v.tender : 'none', amount_minor: -v.reversal.refunded };
      }
      return null;
    }
    case 'packageHolding': {
      if (event.action === 'sold') {
        const h = read(packageSaleImage);
        return h && { type: 'package_sale', tender: h.receipt.tender, amount_minor: h.priceMinor };
      }
      if (event.action.startsWith('refunded')) {
        const h = read(packageRefundImage);
        // The refund's tender is not in the journal image; the reports here do not split by tender.
        return h && { type: 'package_refund', tender: 'unknown', amount_minor: -h.refundMinor };
      }
      return null;
    }
    case 'subscriptionPayment': {
      if (event.action !== 'received') return null;
      const p = read(paymentImage);
      return p && { type: 'subscription_payment', tender: p.tender, amount_minor: p.amount };
    }
    default:
      return null;
  }
}

const counterTransactions: TypedConsolidator = {
  entities: ['payment', 'vend', 'packageHolding', 'subscriptionPayment'],
  exclusive: false,
  async apply(trx, { branchId, localDate }, events) {
    const rows: CounterTransactionsTable[] = [];
    for (const event of events) {
      const m = counterMovement(event);
      if (m) rows.push({ branch_id: branchId, id: event.id, document_id: event.entity_id, ...m, at: event.at, local_date: localDate(event.at), seq: event.seq });
    }
    // An event is applied once, so a row is never written twice; a duplicate key would be the same movement.
    await upsertRows(trx, 'counter_transactions', rows, ['branch_id', 'id'], []);
  },
};

/*
 * Bills. Posting a run journals each bill with a short image (sorted keys, 100,000 a run); a
 * cancel/rebill journals whole bills (the credit note, the cancelled original, the rebill).
 * "Settled from credit" notes a settlement and says nothing of the bill's figures.
 */
// Tax, estimated and exceptions came into the posted image later: a journal from before reads as none.
const billFigures = {
  issueDate: z.string(),
  total: money,
  tax: money.default(0),
  consumption: z.number(),
  estimated: z.boolean().default(false),
  exceptions: z.array(z.unknown()).default([]),
};
const postedBillImage = z.object(billFigures);
const wholeBillImage = z.object({ kind: z.string(), status: z.string(), ...billFigures });

function billColumns(b: z.output<typeof postedBillImage>) {
  return {
    issue_date: b.issueDate,
    total_minor: b.total,
    tax_minor: b.tax,
    consumption: b.consumption,
    estimated: b.estimated ? 1 : 0,
    with_exceptions: b.exceptions.length > 0 ? 1 : 0,
  };
}

const bills: TypedConsolidator = {
  entities: ['bill'],
  exclusive: false,
  async apply(trx, { branchId }, events) {
    const rows = latestRows<BillsTable>(events, (event, image) => {
      const whole = wholeBillImage.safeParse(image);
      if (whole.success) {
        const b = whole.data;
        return { branch_id: branchId, id: event.entity_id, kind: b.kind, status: b.status, ...billColumns(b), last_seq: event.seq };
      }
      if (event.action !== 'posted') return null;
      const posted = postedBillImage.safeParse(image);
      if (!posted.success) return null;
      return { branch_id: branchId, id: event.entity_id, kind: 'bill', status: 'posted', ...billColumns(posted.data), last_seq: event.seq };
    });
    await upsertRows(trx, 'bills', rows, ['branch_id', 'id'], ['kind', 'status', 'issue_date', 'total_minor', 'tax_minor', 'consumption', 'estimated', 'with_exceptions', 'last_seq']);
  },
};

/** Every appointment event carries the whole appointment as the branch shows it. */
const appointmentImage = z.object({
  localDate: z.string(),
  status: z.string(),
  durationMinutes: z.number().int(),
  priceMinor: money,
  lateCancel: z.boolean(),
});

const appointments: TypedConsolidator = {
  entities: ['hsAppointment'],
  // Whole images, but `records` held appointments before this table existed: it keeps them current.
  exclusive: false,
  async apply(trx, { branchId }, events) {
    const rows = latestRows<AppointmentsTable>(events, (event, image) => {
      const r = appointmentImage.safeParse(image);
      if (!r.success) return null;
      const a = r.data;
      return { branch_id: branchId, id: event.entity_id, local_date: a.localDate, status: a.status, duration_minutes: a.durationMinutes, price_minor: a.priceMinor, late_cancel: a.lateCancel ? 1 : 0, last_seq: event.seq };
    });
    await upsertRows(trx, 'appointments', rows, ['branch_id', 'id'], ['local_date', 'status', 'duration_minutes', 'price_minor', 'late_cancel', 'last_seq']);
  },
};

/** Every visit event (checked in, checked out, missed, corrected) carries the whole visit. */
const visitImage = z.object({
  localDate: z.string(),
  status: z.string(),
  verification: z.string(),
  outcome: z.string().nullable(),
  corrected: z.boolean(),
  checkIn: z.object({ at: z.string() }).nullable(),
  checkOut: z.object({ at: z.string() }).nullable(),
});

/**
 * Minutes between two instants exactly as the branch's visits report works them out in SQLite:
 * round((julianday(out) - julianday(in)) * 1440), julianday being integer milliseconds since the
 * Julian epoch over 86,400,000 and round() half away from zero, so HQ's sum is the branch's.
 */
export function sqliteMinutesBetween(from: string, to: string): number | null {
  const jd = (instant: string) => (Date.parse(instant) + 210_866_760_000_000) / 86_400_000;
  const minutes = (jd(to) - jd(from)) * 1440;
  if (!Number.isFinite(minutes)) return null;
  return minutes < 0 ? -Math.floor(-minutes + 0.5) : Math.floor(minutes + 0.5);
}

const visits: TypedConsolidator = {
  entities: ['hsVisit'],
  // Whole images, but `records` held visits before this table existed: it keeps them current.
  exclusive: false,
  async apply(trx, { branchId }, events) {
    const rows = latestRows<VisitsTable>(events, (event, image) => {
      const r = visitImage.safeParse(image);
      if (!r.success) return null;
      const v = r.data;
      return {
        branch_id: branchId,
        id: event.entity_id,
        local_date: v.localDate,
        status: v.status,
        verification: v.verification,
        outcome: v.outcome,
        corrected: v.corrected ? 1 : 0,
        minutes_on_site: v.checkIn && v.checkOut ? sqliteMinutesBetween(v.checkIn.at, v.checkOut.at) : null,
        last_seq: event.seq,
      };
    });
    await upsertRows(trx, 'visits', rows, ['branch_id', 'id'], ['local_date', 'status', 'verification', 'outcome', 'corrected', 'minutes_on_site', 'last_seq']);
  },
};

/** Issued with the whole invoice; "credit applied" later carries only the settlements. */
const invoiceImage = z.object({ kind: z.string(), issueDate: z.string(), totalMinor: money });

const subscriptionInvoices: TypedConsolidator = {
  entities: ['subscriptionInvoice'],
  exclusive: false,
  async apply(trx, { branchId }, events) {
    const rows = latestRows<SubscriptionInvoicesTable>(events, (event, image) => {
      const r = invoiceImage.safeParse(image);
      if (!r.success) return null;
      return { branch_id: branchId, id: event.entity_id, kind: r.data.kind, issue_date: r.data.issueDate, total_minor: r.data.totalMinor, last_seq: event.seq };
    });
    await upsertRows(trx, 'subscription_invoices', rows, ['branch_id', 'id'], ['kind', 'issue_date', 'total_minor', 'last_seq']);
  },
};

const TYPED: readonly TypedConsolidator[] = [meterReadings, counterTransactions, bills, appointments, visits, subscriptionInvoices];

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

const TYPED_BY_ENTITY = new Map(TYPED.flatMap((t) => t.entities.map((e) => [e, t] as const)));

export async function consolidate(trx: Transaction<HqDatabase>, ctx: ConsolidateContext, events: readonly JournalRow[]): Promise<void> {
  const { branchId } = ctx;
  const typedEvents = new Map<TypedConsolidator, JournalRow[]>();
  const imaged: JournalRow[] = [];
  for (const e of events) {
    const typed = TYPED_BY_ENTITY.get(e.entity);
    if (typed) {
      let list = typedEvents.get(typed);
      if (!list) typedEvents.set(typed, (list = []));
      list.push(e);
    }
    if (typed?.exclusive) continue;
    if (e.after_json !== null || e.before_json !== null) {
      // Only events that carry an image describe a record's state ("signed in" or "password reset" do not).
      imaged.push(e);
    }
  }
  for (const [typed, list] of typedEvents) await typed.apply(trx, ctx, list);
  if (imaged.length === 0) return;

  const keyOf = (entity: string, entityId: string) => `${entity}\u0000${entityId}`;
  const byEntity = new Map<string, Set<string>>();
  for (const e of imaged) {
    let ids = byEntity.get(e.entity);
    if (!ids) byEntity.set(e.entity, (ids = new Set()));
    ids.add(e.entity_id);
  }
  const current = new Map<string, RecordsTable>();
  for (const [entity, ids] of byEntity) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('records')
        .selectAll()
        .where('branch_id', '=', branchId)
        .where('entity', '=', entity)
        .where('entity_id', 'in', list.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) current.set(keyOf(r.entity, r.entity_id), r);
    }
  }

  // Fold the batch in sequence order. Images are merged member by member: most are whole records,
  // but some events carry only what changed (a role's permissions, a setting's value).
  const folded = new Map<string, { record: RecordsTable; data: unknown }>();
  for (const e of imaged) {
    const key = keyOf(e.entity, e.entity_id);
    const stored = current.get(key);
    const previous = folded.has(key) ? folded.get(key)!.data : stored ? parse(stored.data_json) : null;
    const after = parse(e.after_json);
    const deleted = e.after_json === null;
    let data: unknown;
    if (after === null) data = previous ?? parse(e.before_json);
    else data = isObject(previous) && isObject(after) ? { ...previous, ...after } : after;
    folded.set(key, {
      data,
      record: {
        branch_id: branchId,
        entity: e.entity,
        entity_id: e.entity_id,
        data_json: data === null || data === undefined ? null : JSON.stringify(data),
        deleted: deleted ? 1 : 0,
        last_seq: e.seq,
        last_action: e.action,
        last_at: e.at,
      },
    });
  }

  const records = [...folded.values()].map((f) => f.record);
  for (let i = 0; i < records.length; i += CHUNK) {
    await trx
      .insertInto('records')
      .values(records.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['branch_id', 'entity', 'entity_id']).doUpdateSet((eb) => ({
          data_json: eb.ref('excluded.data_json'),
          deleted: eb.ref('excluded.deleted'),
          last_seq: eb.ref('excluded.last_seq'),
          last_action: eb.ref('excluded.last_action'),
          last_at: eb.ref('excluded.last_at'),
        })),
      )
      .execute();
  }

}

const REBUILD_CHUNK = 5000;

/**
 * Fills typed tables from the events HQ already holds, for tables added after branches had synced
 * (a migration that adds one names its entities; see migrations/hq/index.ts). Branch by branch in
 * sequence order, in chunks (each its own transaction unless `db` is one already: a migration's);
 * upserts, so running it again changes nothing. Only the
 * typed tables: `records` already folded these events when they arrived. Answers the events read.
 */
export async function reconsolidate(db: Kysely<HqDatabase>, entities: readonly string[]): Promise<number> {
  const wanted = entities.filter((e) => TYPED_BY_ENTITY.has(e));
  if (wanted.length === 0) return 0;
  let read = 0;
  for (const branch of await db.selectFrom('branches').select(['id', 'time_zone']).orderBy('id').execute()) {
    const ctx: ConsolidateContext = { branchId: branch.id, localDate: localDateIn(branch.time_zone) };
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('branch_id', '=', branch.id)
        .where('entity', 'in', wanted)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(REBUILD_CHUNK)
        .execute();
      if (rows.length === 0) break;
      const byTyped = new Map<TypedConsolidator, JournalRow[]>();
      for (const { local_date: _d, received_at: _r, ...event } of rows) {
        const typed = TYPED_BY_ENTITY.get(event.entity)!;
        let list = byTyped.get(typed);
        if (!list) byTyped.set(typed, (list = []));
        list.push(event);
      }
      const apply = async (trx: Transaction<HqDatabase>) => {
        for (const [typed, list] of byTyped) await typed.apply(trx, ctx, list);
      };
      if (db.isTransaction) await apply(db as Transaction<HqDatabase>);
      else await db.transaction().execute(apply);
      read += rows.length;
      after = rows.at(-1)!.seq;
      if (rows.length < REBUILD_CHUNK) break;
    }
  }
  return read;
}
