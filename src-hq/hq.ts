import type { Kysely } from 'kysely';
import type { HqDatabase } from './db/schema';
import { openHqStore, type HqDialect, type StoreOptions } from './db/connect';

export interface HqLogger {
  info(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** Everything HQ's services need: the database, which dialect it speaks, a clock and a log. */
export interface Hq {
  db: Kysely<HqDatabase>;
  dialect: HqDialect;
  location: string;
  clock: () => Date;
  log: HqLogger;
  close(): Promise<void>;
}

export interface HqOptions extends StoreOptions {
  /** Tests inject a clock to show drift and token grace periods. */
  clock?: () => Date;
  log?: HqLogger;
}

export async function openHq(options: HqOptions): Promise<Hq> {
  const store = await openHqStore(options);
  return {
    db: store.db,
    dialect: store.dialect,
    location: store.location,
    clock: options.clock ?? (() => new Date()),
    log: options.log ?? console,
    close: () => store.close(),
  };
}
