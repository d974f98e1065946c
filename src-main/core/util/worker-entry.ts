import fs from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread of the app: `out/main/<bundledName>.js` beside the bundled main process in
 * the desktop build; from TypeScript sources (browser mode, tests, benches), a bootstrap that
 * registers tsx and loads `src-main/core/<sourceEntry>`.
 */
export function startAppWorker(bundledName: string, sourceEntry: string, options: WorkerOptions = {}): Worker {
  // In the bundle, shared chunks sit beside the entries, so this module's folder is out/main.
  const here = typeof __dirname !== 'undefined' ? __dirname : path.resolve('src-main/core/util');
  const bundled = path.join(here, `${bundledName}.js`);
  if (fs.existsSync(bundled)) return new Worker(bundled, options);
  const coreDir = path.dirname(here);
  return new Worker(path.join(coreDir, 'util', 'worker-from-source.cjs'), {
    ...options,
    workerData: { ...(options.workerData as object | undefined), sourceEntry: path.join(coreDir, sourceEntry) },
  });
}
