import { sql } from 'kysely';
import { AppError } from '../../../../src-shared/errors';
import type {
  Account,
  ExceptionCode,
  Route,
  Reading,
  ReadType,
  VeeException,
} from '../../../../src-shared/contracts/energy/meter-readings';
import type { z } from 'zod';
import type { readingFilters, meterSchema } from '../../../../src-shared/contracts/energy/meter-readings';
import { all, first, qb, sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { AccountsTable, MeterReadingsTable, MetersTable, RoutesTable } from './tables';
import { addDays, shiftYears, type UsageInterval } from './rules';

/**
 * Reads of the meter reading function and the row → DTO mapping. Plain functions of a connection,
 * so handlers, job runners (with their own connection) and reports share them.
 */

/* ---------------- cursors ---------------- */

/** Keyset cursors are opaque to clients: the sort key of the last row, base64url-encoded. */
export const encodeCursor = (key: readonly (string | number)[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((k, i) => typeof k === shape[i])) return key as (string | number)[];
  } catch {
    // fall through to the validation error
  }
  throw new AppError('VALIDATION', 'cursor: This page link is not valid; start from the first page', {
    issues: [{ path: 'cursor', message: 'Not a cursor this list handed out' }],
  });
}

/** `%term%` with LIKE's wildcards taken literally (used with ESCAPE '\'). */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/* ---------------- routes ---------------- */


/** The reading period of a date is its calendar month: routes are walked monthly. */
const monthOf = (date: string): { from: string; to: string } => ({ from: `${date.slice(0, 7)}-01`, to: `${date.slice(0, 7)}-31` });

/**
 * Progress is "of the meters on this route now, how many are read this period": a meter moved
 * here mid-month counts here whichever route its read was recorded on, and a route is never more
 * than fully read. Readings have no route index (migration 0014): each meter is probed on its own,
 * with the condition written as that index's third column ('' only for a standing regular read,
 * exactly as migration 0013 spells it) so the index alone answers. Exceptions are those recorded
 * on the route, counted in one pass over the period's review queue for every route listed.
 */
export function listRoutes(db: SqliteDb, readDate: string, routeId?: string): Route[] {
  const period = monthOf(readDate);
  const rows = sqlAll<RoutesTable & { meter_count: number; read_count: number; exception_count: number }>(
    db,
    `SELECT ro.*,
       (SELECT count(*) FROM meters m JOIN accounts a ON a.id = m.account_id
         WHERE a.route_id = ro.id AND m.status = 'installed') AS meter_count,
       (SELECT count(*) FROM meters m JOIN accounts a ON a.id = m.account_id
         WHERE a.route_id = ro.id AND m.status = 'installed'
           AND EXISTS (SELECT 1 FROM meter_readings r WHERE r.meter_id = m.id AND r.read_date BETWEEN ? AND ?
             AND (CASE WHEN r.purpose = 'regular' AND r.status <> 'reread' THEN '' ELSE r.id END) = '')) AS read_count,
       coalesce(ex.n, 0) AS exception_count
     FROM routes ro
       LEFT JOIN (SELECT r.route_id, count(*) AS n FROM meter_readings r
         WHERE r.status = 'exception' AND r.read_date BETWEEN ? AND ? GROUP BY r.route_id) ex ON ex.route_id = ro.id
     ${routeId ? 'WHERE ro.id = ?' : ''} ORDER BY ro.code`,
    period.from,
    period.to,
    period.from,
    period.to,
    ...(routeId ? [routeId] : []),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    meterCount: r.meter_count,
    readCount: r.read_count,
    exceptionCount: r.exception_count,
    version: r.version,
  }));
}

export const findRoute = (db: SqliteDb, id: string): RoutesTable | undefined => sqlGet(db, 'SELECT * FROM routes WHERE id = ?', id);

/* ---------------- accounts ---------------- */

type AccountRow = AccountsTable & { route_code: string | null; meter_id: string | null; meter_serial: string | null };

const accountSelect = () =>
  qb
    .selectFrom('accounts as a')
    .leftJoin('routes as ro', 'ro.id', 'a.route_id')
    .leftJoin('meters as m', (join) => join.onRef('m.account_id', '=', 'a.id').on('m.status', '=', 'installed'))
    .selectAll('a')
    .select(['ro.code as route_code', 'm.id as meter_id', 'm.serial as meter_serial']);

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  accountNo: r.account_no,
  name: r.name,
  phone: r.phone,
  address: r.address,
  routeId: r.route_id,
  routeCode: r.route_code,
  sequence: r.sequence,
  status: r.status,
  category: r.category,
  meterId: r.meter_id,
  meterSerial: r.meter_serial,
  version: r.version,
});

export function findAccount(db: SqliteDb, id: string): Account | undefined {
  const row = first(db, accountSelect().where('a.id', '=', id));
  return row && toAccount(row as AccountRow);
}

export function listAccounts(
  db: SqliteDb,
  input: { search?: string; routeId?: string; cursor?: string; limit: number },
): { rows: Account[]; nextCursor: string | null; total: number } {
  // On a route, accounts come in walking order; otherwise by account number.
  const byRoute = input.routeId !== undefined;
  let query = accountSelect();
  if (input.routeId) query = query.where('a.route_id', '=', input.routeId);
  if (input.search) {
    const pattern = containsPattern(input.search);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`a.account_no LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`a.name LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`a.phone LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`m.serial LIKE ${pattern} ESCAPE '\\'`,
      ]),
    );
  }
  const total = first(db, query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')))!.n;
  if (input.cursor) {
    const [key, id] = decodeCursor(input.cursor, [byRoute ? 'number' : 'string', 'string']);
    query = byRoute
      ? query.where((eb) => eb(eb.refTuple('a.sequence', 'a.id'), '>', eb.tuple(key as number, id as string)))
      : query.where((eb) => eb(eb.refTuple('a.account_no', 'a.id'), '>', eb.tuple(key as string, id as string)));
  }
  query = byRoute ? query.orderBy('a.sequence').orderBy('a.id') : query.orderBy('a.account_no').orderBy('a.id');
  const rows = all(db, query.limit(input.limit + 1)) as AccountRow[];
  const more = rows.length > input.limit;
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toAccount),
    nextCursor: more && last ? encodeCursor([byRoute ? last.sequence : last.account_no, last.id]) : null,
    total,
  };
}

/* ---------------- meters ---------------- */

export type Meter = z.infer<typeof meterSchema>;

export const toMeter = (m: MetersTable): Meter => ({
  id: m.id,
  serial: m.serial,
  dials: m.dials,
  multiplier: m.multiplier,
  accountId: m.account_id,
  status: m.status,
  installedOn: m.installed_on,
  removedOn: m.removed_on,
  version: m.version,
});

export const findMeter = (db: SqliteDb, id: string): MetersTable | undefined => sqlGet(db, 'SELECT * FROM meters WHERE id = ?', id);

export const findMeterBySerial = (db: SqliteDb, serial: string): MetersTable | undefined =>
  sqlGet(db, 'SELECT * FROM meters WHERE serial = ?', serial);

/** Serial → meter id for every meter, for imports that name meters by what is printed on them. */
export function meterIdsBySerial(db: SqliteDb): Map<string, string> {
  const rows = sqlAll<{ id: string; serial: string }>(db, 'SELECT id, serial FROM meters');
  return new Map(rows.map((r) => [r.serial.toUpperCase(), r.id]));
}

/** A meter with the account it hangs on and that account's route: what every reading of it records. */
export interface MeterOnAccount {
  meter: MetersTable;
  account: Pick<AccountsTable, 'id' | 'account_no' | 'name' | 'status' | 'route_id'>;
  routeCode: string | null;
}

type MeterOnAccountRow = MetersTable & {
  a_account_no: string;
  a_name: string;
  a_status: AccountsTable['status'];
  a_route_id: string | null;
  route_code: string | null;
};

export function meterOnAccount(db: SqliteDb, meterId: string): MeterOnAccount | undefined {
  const row = sqlGet<MeterOnAccountRow>(
    db,
    `SELECT m.*, a.account_no AS a_account_no, a.name AS a_name, a.status AS a_status, a.route_id AS a_route_id, ro.code AS route_code
     FROM meters m JOIN accounts a ON a.id = m.account_id LEFT JOIN routes ro ON ro.id = a.route_id
     WHERE m.id = ?`,
    meterId,
  );
  if (!row) return undefined;
  const { a_account_no, a_name, a_status, a_route_id, route_code, ...meter } = row;
  return {
    meter,
    account: { id: meter.account_id!, account_no: a_account_no, name: a_name, status: a_status, route_id: a_route_id },
    routeCode: route_code,
  };
}

/* ---------------- readings ---------------- */

export type ReadingRow = MeterReadingsTable & {
  meter_serial: string;
  account_no: string;
  account_name: string;
  route_code: string | null;
  reader_name: string;
};

/**
 * Left joins although every reading has its meter, account and reader (foreign keys): SQLite drops
 * a left join whose columns a query never uses, so counts and totals over a large table read the
 * readings alone unless a filter needs the account or meter.
 */
const readingJoins = () =>
  qb
    .selectFrom('meter_readings as r')
    .leftJoin('meters as m', 'm.id', 'r.meter_id')
    .leftJoin('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('routes as ro', 'ro.id', 'r.route_id')
    .leftJoin('users as u', 'u.id', 'r.reader_id');
type ReadingJoins = ReturnType<typeof readingJoins>;

const withReadingColumns = (query: ReadingJoins) =>
  query
    .selectAll('r')
    .select(['m.serial as meter_serial', 'a.account_no', 'a.name as account_name', 'ro.code as route_code', 'u.display_name as reader_name']);

const readingSelect = () => withReadingColumns(readingJoins());

export const toReading = (r: ReadingRow): Reading => ({
  id: r.id,
  meterId: r.meter_id,
  meterSerial: r.meter_serial,
  accountId: r.account_id,
  accountNo: r.account_no,
  accountName: r.account_name,
  routeId: r.route_id,
  routeCode: r.route_code,
  register: r.register,
  value: r.value,
  originalValue: r.original_value,
  readDate: r.read_date,
  readType: r.read_type,
  purpose: r.purpose,
  skipCode: r.skip_code as Reading['skipCode'],
  remark: r.remark,
  consumption: r.consumption,
  previousValue: r.previous_value,
  previousReadDate: r.previous_read_date,
  status: r.status,
  resolution: r.resolution,
  exceptions: JSON.parse(r.exceptions_json) as VeeException[],
  reviewReason: r.review_reason,
  readerId: r.reader_id,
  readerName: r.reader_name,
  source: r.source,
  createdAt: r.created_at,
  version: r.version,
});

/** Compiled once: building SQL per call would cost more than running it on the import's hot path. */
const READING_BY_ID = readingSelect().where('r.id', '=', '').compile().sql;

export function findReading(db: SqliteDb, id: string): Reading | undefined {
  const row = sqlGet<ReadingRow>(db, READING_BY_ID, id);
  return row && toReading(row);
}

export const findReadingRow = (db: SqliteDb, id: string): MeterReadingsTable | undefined =>
  sqlGet(db, 'SELECT * FROM meter_readings WHERE id = ?', id);

/** A meter's readings, newest first (every status: the history shows what was sent back too). */
export function meterHistory(db: SqliteDb, meterId: string, limit: number): Reading[] {
  const rows = all(
    db,
    readingSelect().where('r.meter_id', '=', meterId).orderBy('r.read_date', 'desc').orderBy('r.id', 'desc').limit(limit),
  ) as ReadingRow[];
  return rows.map(toReading);
}

export type ReadingFilters = { [K in keyof typeof readingFilters]?: z.output<(typeof readingFilters)[K]> } & {
  /** Only what reports count: no reads sent back for re-reading, no install reads. */
  counted?: boolean;
};

function filteredReadings(f: ReadingFilters): ReadingJoins {
  let q = readingJoins();
  if (f.routeId) q = q.where('r.route_id', '=', f.routeId);
  // A literal, not a parameter: only then can SQLite use the partial index of the review queue.
  if (f.status) q = q.where('r.status', '=', sql.lit(f.status));
  if (f.readType) q = q.where('r.read_type', '=', f.readType);
  if (f.readerId) q = q.where('r.reader_id', '=', f.readerId);
  // Through the account's meters: readings have no account index of their own.
  if (f.accountId) q = q.where('r.meter_id', 'in', qb.selectFrom('meters').select('id').where('account_id', '=', f.accountId));
  if (f.meterId) q = q.where('r.meter_id', '=', f.meterId);
  if (f.category) q = q.where('a.category', '=', f.category);
  if (f.from) q = q.where('r.read_date', '>=', f.from);
  if (f.to) q = q.where('r.read_date', '<=', f.to);
  if (f.counted) q = q.where('r.status', '<>', 'reread').where('r.purpose', '<>', 'install');
  if (f.exception) {
    const code: ExceptionCode = f.exception;
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM json_each(r.exceptions_json) je WHERE json_extract(je.value, '$.code') = ${code})`);
  }
  if (f.search) {
    const pattern = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`m.serial LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`a.account_no LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`a.name LIKE ${pattern} ESCAPE '\\'`,
      ]),
    );
  }
  return q;
}

export interface ReadingPage {
  rows: Reading[];
  nextCursor: string | null;
  total: number;
  totals: { consumption: number; exceptions: number };
}

/**
 * Readings newest first, paged by key on (read_date DESC, id DESC) so page 2,000 costs what page
 * 1 costs. Totals cover every matching row; consumption leaves out reads sent back for re-reading.
 */
export function listReadings(db: SqliteDb, filters: ReadingFilters & { cursor?: string; limit: number }): ReadingPage {
  const filtered = filteredReadings(filters);
  const aggregate = first(
    db,
    filtered.select([
        sql<number>`count(*)`.as('total'),
        sql<number>`coalesce(sum(CASE WHEN r.status <> 'reread' THEN r.consumption END), 0)`.as('consumption'),
        sql<number>`coalesce(sum(r.status = 'exception'), 0)`.as('exceptions'),
      ]),
  )!;
  let pageQuery = withReadingColumns(filtered);
  if (filters.cursor) {
    const [date, id] = decodeCursor(filters.cursor, ['string', 'string']) as [string, string];
    pageQuery = pageQuery.where((eb) => eb(eb.refTuple('r.read_date', 'r.id'), '<', eb.tuple(date, id)));
  }
  const rows = all(db, pageQuery.orderBy('r.read_date', 'desc').orderBy('r.id', 'desc').limit(filters.limit + 1)) as ReadingRow[];
  const more = rows.length > filters.limit;
  const pageRows = rows.slice(0, filters.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toReading),
    nextCursor: more && last ? encodeCursor([last.read_date, last.id]) : null,
    total: aggregate.total,
    totals: { consumption: roundTotal(aggregate.consumption), exceptions: aggregate.exceptions },
  };
}

/**
 * Every matching reading, oldest first, fetched by key in chunks: an export of 100k rows holds one
 * chunk in memory, and no statement stays open between chunks (the job writes its progress on the
 * same connection meanwhile).
 */
export function* iterateReadings(db: SqliteDb, filters: ReadingFilters, chunk = 1000): Generator<Reading> {
  let after: [string, string] | null = null;
  for (;;) {
    let query = withReadingColumns(filteredReadings(filters));
    if (after) {
      const [date, id] = after;
      query = query.where((eb) => eb(eb.refTuple('r.read_date', 'r.id'), '>', eb.tuple(date, id)));
    }
    const rows = all(db, query.orderBy('r.read_date').orderBy('r.id').limit(chunk)) as ReadingRow[];
    for (const row of rows) yield toReading(row);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = [last.read_date, last.id];
  }
}

export const roundTotal = (n: number): number => Math.round(n * 1000) / 1000;

/* ---------------- what VEE needs to know ---------------- */

export interface ChainRead {
  id: string;
  value: number;
  read_date: string;
  read_type: ReadType;
}

/**
 * The meter's latest reads that still count (re-read ones do not), newest first: the first is the
 * previous read, the run of estimates at the top is what CONSECUTIVE_ESTIMATES counts. With `upTo`,
 * the chain as it stood at that read (for re-running VEE on a correction).
 */
export function meterChain(db: SqliteDb, meterId: string, limit: number, upTo?: { readDate: string; id: string }): ChainRead[] {
  return upTo
    ? sqlAll<ChainRead>(
        db,
        `SELECT id, value, read_date, read_type FROM meter_readings
         WHERE meter_id = ? AND status <> 'reread' AND (read_date, id) <= (?, ?)
         ORDER BY read_date DESC, id DESC LIMIT ?`,
        meterId,
        upTo.readDate,
        upTo.id,
        limit,
      )
    : sqlAll<ChainRead>(
        db,
        `SELECT id, value, read_date, read_type FROM meter_readings
         WHERE meter_id = ? AND status <> 'reread'
         ORDER BY read_date DESC, id DESC LIMIT ?`,
        meterId,
        limit,
      );
}

/**
 * The account's posted, actually-read consumption intervals ending in (after, before): the base of
 * expected use and estimates. Estimates are left out so they never feed on themselves.
 */
export function usageHistory(db: SqliteDb, accountId: string, after: string, before: string): UsageInterval[] {
  return sqlAll<{ from: string; to: string; units: number }>(
    db,
    // Through the account's meters (one, or two around an exchange) and the meter index; pinned,
    // because without statistics SQLite may walk the date index through every read of the year.
    `SELECT previous_read_date AS "from", read_date AS "to", consumption AS units
     FROM meter_readings INDEXED BY meter_readings_meter
     WHERE meter_id IN (SELECT id FROM meters WHERE account_id = ?) AND read_date > ? AND read_date < ? AND status = 'posted'
       AND read_type <> 'estimated' AND purpose <> 'install' AND previous_read_date IS NOT NULL`,
    accountId,
    after,
    before,
  );
}

interface FactRow extends ChainRead {
  meter_id: string;
  status: MeterReadingsTable['status'];
  purpose: MeterReadingsTable['purpose'];
  consumption: number;
  previous_read_date: string | null;
}

/** How far back the one-query path looks: a year for expected use, plus a quarter for last year's period. */
const FACTS_REACH_DAYS = 365 + 92;

/**
 * Both things VEE needs for a new read — the meter's chain and the account's usage history — from
 * one query over the account's reads of the last fifteen months (a dozen rows for monthly reads),
 * because this runs for every row of an import. Falls back to the exact queries when the meter's
 * chain or the previous read reaches further back than that.
 */
export function veeFacts(
  db: SqliteDb,
  meterId: string,
  accountId: string,
  readDate: string,
  chainLength: number,
): { chain: ChainRead[]; history: UsageInterval[] } {
  const since = addDays(readDate, -FACTS_REACH_DAYS);
  const rows = sqlAll<FactRow>(
    db,
    `SELECT id, meter_id, value, read_date, read_type, status, purpose, consumption, previous_read_date
     FROM meter_readings INDEXED BY meter_readings_meter
     WHERE meter_id IN (SELECT id FROM meters WHERE account_id = ?) AND read_date > ? AND status <> 'reread'
     ORDER BY read_date DESC, id DESC`,
    accountId,
    since,
  );
  let chain: ChainRead[] = rows.filter((r) => r.meter_id === meterId).slice(0, chainLength);
  const complete = chain.length === chainLength || (chain.length > 0 && (chain.at(-1) as FactRow).purpose === 'install');
  if (!complete) chain = meterChain(db, meterId, chainLength);

  const previousDate = chain[0] && chain[0].read_date < readDate ? chain[0].read_date : readDate;
  const historySince = shiftYears(previousDate, -1);
  if (historySince <= since) return { chain, history: usageHistory(db, accountId, historySince, readDate) };
  const history: UsageInterval[] = [];
  for (const r of rows) {
    if (r.read_date > historySince && r.read_date < readDate && r.status === 'posted' && r.read_type !== 'estimated' && r.purpose !== 'install' && r.previous_read_date !== null) {
      history.push({ from: r.previous_read_date, to: r.read_date, units: r.consumption });
    }
  }
  return { chain, history };
}

/** The regular read already entered for a meter on a date, if any (at most one counts). */
export const regularReadOn = (db: SqliteDb, meterId: string, readDate: string): MeterReadingsTable | undefined =>
  sqlGet(
    db,
    `SELECT * FROM meter_readings WHERE meter_id = ? AND read_date = ? AND purpose = 'regular' AND status <> 'reread'`,
    meterId,
    readDate,
  );

/** A stop on a reader's walk: an installed meter and the account it serves. */
export interface RouteStop {
  meter_id: string;
  serial: string;
  dials: number;
  multiplier: number;
  account_id: string;
  account_no: string;
  account_name: string;
  address: string;
  account_status: 'active' | 'inactive';
  sequence: number;
}

export const routeStops = (db: SqliteDb, routeId: string): RouteStop[] =>
  sqlAll<RouteStop>(
    db,
    `SELECT m.id AS meter_id, m.serial, m.dials, m.multiplier, a.id AS account_id, a.account_no, a.name AS account_name,
       a.address, a.status AS account_status, a.sequence
     FROM accounts a JOIN meters m ON m.account_id = a.id AND m.status = 'installed'
     WHERE a.route_id = ? ORDER BY a.sequence, a.account_no`,
    routeId,
  );
