import { describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import { newId } from './ids';

describe('newId', () => {
  it('is a 26-character Crockford base-32 ULID whose time prefix sorts by creation time', () => {
    const a = newId(1_700_000_000_000);
    const b = newId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    // The reference implementation reads the same instant back out of our ids.
    expect(decodeTime(a)).toBe(1_700_000_000_000);
    expect(decodeTime(b)).toBe(1_700_000_000_001);
  });

  it('stays unique and increasing within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
