import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * scrypt with OWASP's interactive-login cost (N=2^15, r=8, p=1). The parameters travel inside the
 * stored string, so raising them later only affects new hashes and old ones still verify.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

// Synchronous on purpose: logins are rare, and the pipeline runs each call as one synchronous unit.
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, PARAMS.keyLength, { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = scryptSync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
