import { randomBytes } from 'node:crypto';
import { sha256 } from '../src-main/core/util/hash';

/**
 * Bearer tokens: 256 random bits, shown once, stored only as their SHA-256 (a token this long
 * needs no slow hash: it cannot be guessed, only stolen, and the database never holds it).
 */
export type TokenKind = 'branch' | 'admin';

const PREFIX: Record<TokenKind, string> = { branch: 'hqb', admin: 'hqa' };

export const issueToken = (kind: TokenKind): string => `${PREFIX[kind]}_${randomBytes(32).toString('base64url')}`;

export const tokenHash = (token: string): string => sha256(token);
