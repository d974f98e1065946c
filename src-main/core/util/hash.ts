import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The hash that binds an approval or an idempotency key to one exact payload. */
export const payloadHash = (payload: unknown): string => sha256(canonicalJson(payload ?? null));
