/**
 * `npm run audit:verify -- --data-dir DIR`: walks the journal's hash chain and exits non-zero on the
 * first broken link. Opens the store read-only so checking can never change what it checks.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src-main/core/db/store';
import { verifyChain } from '../src-main/core/audit/journal';
import { defaultDataDir } from '../src-main/core/util/data-dir';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());

try {
  const db = openStore(dataDir, { readonly: true });
  const result = verifyChain(db);
  db.close();
  if (result.ok) {
    console.log(`Audit chain verified: ${result.checked} events, head #${result.headSeq ?? 0} ${result.headHash ?? '(empty journal)'}`);
  } else {
    console.error(`Audit chain BROKEN at event #${result.firstBadSeq}: ${result.problem} (${result.checked} events verified before it)`);
    process.exit(1);
  }
} catch (err) {
  console.error(`Cannot verify ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
