/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` members dropped.
 * Hashes over it are stable whatever order a handler built its objects in, which is what lets the
 * branch and HQ recompute the same chain independently.
 *
 * The output is exactly `JSON.stringify` of a key-sorted copy; it is written directly, without
 * building that copy, because every audit event and every gated payload passes through here.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, false);
  // JSON.stringify(undefined) is undefined; the journal never hashes a bare undefined, so be loud.
  if (out === undefined) throw new TypeError('canonicalJson: nothing to serialise');
  return out;
}

/** Serialises one value; `undefined` means "omit this member" (as JSON.stringify does). */
function write(value: unknown, inArray: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
    case 'bigint':
      // Same failure JSON.stringify gives: money is integer minor units in a number, never a bigint.
      throw new TypeError('canonicalJson: a BigInt cannot be serialised');
    default:
      break;
  }
  if (value === null) return 'null';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(value), inArray);
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i += 1) s += (i === 0 ? '' : ',') + write(value[i], true)!;
    return `${s}]`;
  }
  const record = value as Record<string, unknown>;
  let s = '{';
  let first = true;
  for (const key of sortedKeys(record)) {
    // The original definition assigned into a plain object, where "__proto__" never becomes a member.
    if (key === '__proto__') continue;
    const member = write(record[key], false);
    if (member === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${s}}`;
}

/**
 * The order the original sorted copy serialised in: JavaScript lists array-index keys ("0", "17")
 * first in numeric order, whatever order they were inserted in, then the other keys as sorted.
 * Object.keys already lists the index keys first in that order, so only the rest needs sorting.
 */
const isIndex = (key: string): boolean => /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let indexKeys = 0;
  while (indexKeys < keys.length && isIndex(keys[indexKeys]!)) indexKeys += 1;
  if (indexKeys === 0) return keys.sort();
  return [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
}
