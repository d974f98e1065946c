import type { ReadingEntry, SkipCode } from '../../../../src-shared/contracts/energy/meter-readings';

/** What the reader has typed for one meter; kept until it is saved, whatever the server answers. */
export interface Draft {
  /** Digits only, as typed: the field never holds anything the dials could not show. */
  value: string;
  readType: 'actual' | 'customer';
  skipCode: SkipCode | null;
  remark: string;
}

export const EMPTY_DRAFT: Draft = { value: '', readType: 'actual', skipCode: null, remark: '' };

/**
 * The contract's input for a draft. A skipped meter sends no value and no read type: the server
 * estimates it and marks it estimated. Empty optionals are left out rather than sent blank.
 */
export function entryInput(meterId: string, readDate: string, draft: Draft): ReadingEntry {
  const remark = draft.remark.trim();
  return {
    meterId,
    readDate,
    ...(draft.skipCode
      ? { skipCode: draft.skipCode }
      : { readType: draft.readType, ...(draft.value !== '' ? { value: Number(draft.value) } : {}) }),
    ...(remark ? { remark } : {}),
  };
}
