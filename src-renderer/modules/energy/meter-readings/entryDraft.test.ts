import { describe, expect, it } from 'vitest';
import { readingEntry } from '../../../../src-shared/contracts/energy/meter-readings';
import { EMPTY_DRAFT, entryInput } from './entryDraft';

describe('route entry draft → energy.meterReadings.create input', () => {
  it('sends the typed value as a number with its read type', () => {
    expect(entryInput('M1', '2026-04-02', { ...EMPTY_DRAFT, value: '04213', readType: 'customer' })).toEqual({
      meterId: 'M1',
      readDate: '2026-04-02',
      readType: 'customer',
      value: 4213,
    });
  });

  it('sends a skip code without a value, so the server estimates the reading', () => {
    const input = entryInput('M1', '2026-04-02', { ...EMPTY_DRAFT, value: '', skipCode: 'dog', remark: '  big dog  ' });
    expect(input).toEqual({ meterId: 'M1', readDate: '2026-04-02', skipCode: 'dog', remark: 'big dog' });
    expect(readingEntry.safeParse(input).success).toBe(true);
  });

  it('leaves a blank value out, and the contract then asks for a reading or a skip code beside the value field', () => {
    const parsed = readingEntry.safeParse(entryInput('M1', '2026-04-02', EMPTY_DRAFT));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['value']);
  });
});
