import { monotonicFactory } from 'ulid';

/** ULIDs: unique across branches without coordination, and they sort by creation time. */
const nextUlid = monotonicFactory();
export const newId = (): string => nextUlid();
