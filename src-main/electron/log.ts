import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Logger } from '../core/rpc/kernel';

/** Keeps one previous file; enough to read back what happened before a restart. */
const ROTATE_AT_BYTES = 5 * 1024 * 1024;

/**
 * The installed app has no console to read, and INTERNAL errors tell the user an incident id
 * that support must be able to find: log to `<dir>/main.log` as well as to the console.
 */
export function createFileLogger(dir: string): Logger {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.log');
  try {
    if (fs.statSync(file).size > ROTATE_AT_BYTES) fs.renameSync(file, path.join(dir, 'main.previous.log'));
  } catch {
    // No log yet.
  }
  const stream = fs.createWriteStream(file, { flags: 'a' });
  const write = (level: string, message: string, rest: unknown[]) => {
    const details = rest.map((value) => (typeof value === 'string' ? value : inspect(value, { depth: 4 })));
    stream.write(`${new Date().toISOString()} ${level} ${[message, ...details].join(' ')}\n`);
  };
  return {
    info(message, ...rest) {
      console.info(message, ...rest);
      write('INFO', message, rest);
    },
    error(message, ...rest) {
      console.error(message, ...rest);
      write('ERROR', message, rest);
    },
  };
}
