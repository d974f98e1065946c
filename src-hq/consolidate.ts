import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { JournalRow } from '../src-shared/contracts/sync';
import type { HqDatabase, MeterReadingsTable, RecordsTable } from './db/schema';

/**
 * Materialises branch records from the journal (the journal is the outbox, so every event carries
 * the image HQ needs). Entities HQ reports on go to their typed consolidated table; every other
 * entity's images are folded into `records`, the consolidated copy of every record of every
 * branch. Runs in the upload's transaction, so what HQ reports always matches the events it holds.
 */
const CHUNK = 400;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A typed consolidated table fed by one journal entity; add one per report HQ serves. Its events
 * must carry the whole record as after-image (the latest one wins); such an entity is kept only
 * in its typed table, not twice, and the events table keeps every image it ever had.
 */
interface TypedConsolidator {
  entity: string;
  upsert(trx: Transaction<HqDatabase>, branchId: string, latest: { event: JournalRow; image: Json }[]): Promise<void>;
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
  entity: 'meterReading',
  async upsert(trx, branchId, latest) {
    const rows: MeterReadingsTable[] = [];
    for (const { event, image } of latest) {
      // An image without what the report needs (none today) leaves the row as it was.
      const r = readingImage.safeParse(image);
      if (!r.success) continue;
      rows.push({
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
      });
    }
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('meter_readings')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(['branch_id', 'id']).doUpdateSet((eb) => ({
            read_date: eb.ref('excluded.read_date'),
            read_type: eb.ref('excluded.read_type'),
            purpose: eb.ref('excluded.purpose'),
            status: eb.ref('excluded.status'),
            skip_code: eb.ref('excluded.skip_code'),
            consumption: eb.ref('excluded.consumption'),
            account_id: eb.ref('excluded.account_id'),
            route_id: eb.ref('excluded.route_id'),
            reader_id: eb.ref('excluded.reader_id'),
            last_seq: eb.ref('excluded.last_seq'),
          })),
        )
        .execute();
    }
  },
};

const TYPED: readonly TypedConsolidator[] = [meterReadings];

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

const TYPED_BY_ENTITY = new Map(TYPED.map((t) => [t.entity, t]));

async function consolidateTyped(trx: Transaction<HqDatabase>, branchId: string, typed: TypedConsolidator, events: readonly JournalRow[]): Promise<void> {
  const latest = new Map<string, JournalRow>();
  for (const e of events) if (e.after_json !== null) latest.set(e.entity_id, e);
  const images = [...latest.values()]
    .map((event) => ({ event, image: parse(event.after_json) }))
    .filter((x): x is { event: JournalRow; image: Json } => isObject(x.image));
  if (images.length > 0) await typed.upsert(trx, branchId, images);
}

export async function consolidate(trx: Transaction<HqDatabase>, branchId: string, events: readonly JournalRow[]): Promise<void> {
  const typedEvents = new Map<TypedConsolidator, JournalRow[]>();
  const imaged: JournalRow[] = [];
  for (const e of events) {
    const typed = TYPED_BY_ENTITY.get(e.entity);
    if (typed) {
      let list = typedEvents.get(typed);
      if (!list) typedEvents.set(typed, (list = []));
      list.push(e);
    } else if (e.after_json !== null || e.before_json !== null) {
      // Only events that carry an image describe a record's state ("signed in" or "password reset" do not).
      imaged.push(e);
    }
  }
  for (const [typed, list] of typedEvents) await consolidateTyped(trx, branchId, typed, list);
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
