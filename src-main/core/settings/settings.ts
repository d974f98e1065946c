import type { z } from 'zod';
import { sqlAll, sqlGet, type SqliteDb } from '../db/store';

/**
 * Settings are typed, defaulted and described in code; only changed values are stored. A module
 * declares the settings it reads beside its rules, and the settings screen lists them all.
 */
export interface SettingDef<T> {
  key: string;
  schema: z.ZodType<T>;
  defaultValue: T;
  description: string;
}

const definitions = new Map<string, SettingDef<unknown>>();

export function defineSetting<T>(def: SettingDef<T>): SettingDef<T> {
  const existing = definitions.get(def.key);
  if (existing && existing !== def) throw new Error(`Setting ${def.key} defined twice`);
  definitions.set(def.key, def as SettingDef<unknown>);
  return def;
}

export const settingDefinitions = (): SettingDef<unknown>[] =>
  [...definitions.values()].sort((a, b) => a.key.localeCompare(b.key));

export const findSetting = (key: string): SettingDef<unknown> | undefined => definitions.get(key);

/** The values of a named group of settings, as getGroup answers them. */
export type SettingValues<G extends Record<string, SettingDef<unknown>>> = { [K in keyof G]: G[K] extends SettingDef<infer T> ? T : never };

export class Settings {
  constructor(private readonly db: SqliteDb) {}

  get<T>(def: SettingDef<T>): T {
    const row = sqlGet<{ value_json: string }>(this.db, 'SELECT value_json FROM settings WHERE key = ?', def.key);
    return this.fromStored(def, row?.value_json ?? null);
  }

  /**
   * Several settings read together in one statement (a rule set's thresholds, read for every row an
   * import saves): `getGroup({ low: lowFactor, high: highFactor })` → `{ low: 0.5, high: 2 }`.
   */
  getGroup<G extends Record<string, SettingDef<unknown>>>(defs: G): SettingValues<G> {
    const entries = Object.entries(defs);
    const stored = new Map(
      sqlAll<{ key: string; value_json: string }>(
        this.db,
        'SELECT key, value_json FROM settings WHERE key IN (SELECT value FROM json_each(?))',
        JSON.stringify(entries.map(([, def]) => def.key)),
      ).map((r) => [r.key, r.value_json]),
    );
    return Object.fromEntries(entries.map(([name, def]) => [name, this.fromStored(def, stored.get(def.key) ?? null)])) as SettingValues<G>;
  }

  /** A setting's value from its stored JSON, for a caller that selected it alongside other columns. */
  fromStored<T>(def: SettingDef<T>, valueJson: string | null): T {
    if (valueJson === null) return def.defaultValue;
    const parsed = def.schema.safeParse(JSON.parse(valueJson));
    // A stored value that no longer fits its schema (after an upgrade) falls back to the default
    // rather than breaking every call that reads it.
    return parsed.success ? parsed.data : def.defaultValue;
  }
}
