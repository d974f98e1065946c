import type { z } from 'zod';
import { hasTable, sqlAll, sqlGet, type SqliteDb } from '../db/store';

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
  /** The stored values as of a settings_epoch token, and the values parsed from them so far. */
  private cache: { token: number; stored: Map<string, string>; values: Map<string, unknown> } | null = null;
  constructor(private readonly db: SqliteDb) {}

  get<T>(def: SettingDef<T>): T {
    return this.valueOf(this.current(), def);
  }

  /**
   * Several settings read together (a rule set's thresholds, read for every row an import saves):
   * `getGroup({ low: lowFactor, high: highFactor })` → `{ low: 0.5, high: 2 }`.
   */
  getGroup<G extends Record<string, SettingDef<unknown>>>(defs: G): SettingValues<G> {
    const cache = this.current();
    return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, this.valueOf(cache, def)])) as SettingValues<G>;
  }

  private valueOf<T>(cache: Settings['cache'], def: SettingDef<T>): T {
    if (!cache) {
      const row = sqlGet<{ value_json: string }>(this.db, 'SELECT value_json FROM settings WHERE key = ?', def.key);
      return this.fromStored(def, row?.value_json ?? null);
    }
    if (!cache.values.has(def.key)) cache.values.set(def.key, this.fromStored(def, cache.stored.get(def.key) ?? null));
    const value = cache.values.get(def.key) as T;
    // Callers own what they are given (a list they sort or extend); the cache keeps its own copy.
    return typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }

  /**
   * The cache, re-read when any connection changed a setting since (triggers move the token). Inside
   * a transaction this sees the transaction's own changes, as reading the settings table would.
   */
  private current(): Settings['cache'] {
    if (!hasTable(this.db, 'settings_epoch')) return null;
    const { token } = sqlGet<{ token: number }>(this.db, 'SELECT token FROM settings_epoch WHERE id = 1')!;
    if (this.cache?.token !== token) {
      const rows = sqlAll<{ key: string; value_json: string }>(this.db, 'SELECT key, value_json FROM settings');
      this.cache = { token, stored: new Map(rows.map((r) => [r.key, r.value_json])), values: new Map() };
    }
    return this.cache;
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
