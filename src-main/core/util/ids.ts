import { randomBytes } from 'node:crypto';

/**
 * ULIDs: unique across branches without coordination, and they sort by creation time.
 *
 * Written here rather than taken from the `ulid` package because ids are minted on the hottest
 * path (every row and every audit event) and that package draws one random byte per character
 * through WebCrypto, which cost ~10% of a reading insert. This draws from a pooled buffer and is
 * monotonic within a millisecond (the random part is incremented), as the ULID spec describes.
 */
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const POOL_SIZE = 4096;

let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;
let lastTime = -1;
const lastRandom = new Uint8Array(10);

function fillRandom(target: Uint8Array): void {
  if (poolOffset + target.length > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  target.set(pool.subarray(poolOffset, poolOffset + target.length));
  poolOffset += target.length;
}

function incrementRandom(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i -= 1) {
    if (bytes[i] !== 0xff) {
      bytes[i] = bytes[i]! + 1;
      return;
    }
    bytes[i] = 0;
  }
}

export function newId(now: number = Date.now()): string {
  if (now <= lastTime) incrementRandom(lastRandom);
  else {
    lastTime = now;
    fillRandom(lastRandom);
  }
  let out = '';
  let time = lastTime;
  const timeChars: string[] = new Array<string>(10);
  for (let i = 9; i >= 0; i -= 1) {
    timeChars[i] = ENCODING[time % 32]!;
    time = Math.floor(time / 32);
  }
  out = timeChars.join('');
  // 80 random bits as 16 base-32 characters, 5 bits at a time.
  let buffer = 0;
  let bits = 0;
  for (const byte of lastRandom) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ENCODING[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
