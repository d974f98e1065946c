import { parentPort, workerData } from 'node:worker_threads';
import { createApp } from '../../src-main/app';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';

/**
 * One clerk's desk for the double-booking race: its own app instance (own connection) on the
 * shared store. Before each round it waits at a barrier with the other desk, so both bookings
 * reach the store at the same moment.
 */
interface RaceData {
  dataDir: string;
  clock: string;
  barrier: SharedArrayBuffer;
  rounds: { input: unknown; idempotencyKey: string }[];
}

const data = workerData as RaceData;
const app = createApp({ dataDir: data.dataDir, clock: () => new Date(data.clock), supervisesJobs: false, log: { info: () => {}, error: () => {} } });
const barrier = new Int32Array(data.barrier);
const userId = sqlGet<{ id: string }>(app.kernel.db, `SELECT id FROM users WHERE username = 'dispatcher'`)!.id;
const principal = loadPrincipal(app.kernel.db, userId, null);

const answers = data.rounds.map((round, index) => {
  Atomics.add(barrier, index, 1);
  Atomics.notify(barrier, index);
  while (Atomics.load(barrier, index) < 2) Atomics.wait(barrier, index, Atomics.load(barrier, index), 50);
  return dispatch(app.kernel, 'homeServices.scheduling.book', round.input, { principal, meta: { idempotencyKey: round.idempotencyKey } });
});

void app.close().then(() => parentPort?.postMessage(answers));
