import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

/** The definition the journal was first written with: JSON.stringify of a key-sorted deep copy. */
function reference(value: unknown): string {
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const member = (v as Record<string, unknown>)[key];
        if (member !== undefined) out[key] = sortDeep(member);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortDeep(value));
}

describe('canonicalJson', () => {
  it('writes exactly what the original definition wrote, so existing hash chains still verify', () => {
    const anything = fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: false, withMap: false, withSet: false, withBigInt: false, withTypedArray: false });
    fc.assert(fc.property(anything, (value) => {
      fc.pre(value !== undefined);
      expect(canonicalJson(value)).toBe(reference(value));
    }), { numRuns: 2000 });
  });

  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined], c: undefined, e: 'x' } })).toBe('{"a":{"d":[3,null],"e":"x"},"b":1}');
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
    // A parsed "__proto__" member never was a member of the sorted copy, so it is not hashed.
    expect(canonicalJson(JSON.parse('{"__proto__":1,"a":2}'))).toBe('{"a":2}');
    // Array-index keys come first in numeric order, as JavaScript lists them.
    expect(canonicalJson({ b: 0, '10': 1, '9': 2, a: 3 })).toBe('{"9":2,"10":1,"a":3,"b":0}');
  });
});
