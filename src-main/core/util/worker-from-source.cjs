// Entry of a worker thread when the app runs from TypeScript sources (browser mode, tests, benches):
// a worker does not inherit the parent's tsx loader, so register tsx's require hook first, then load
// the TypeScript entry the parent named. The desktop build bundles each entry into out/main/<name>.js
// and never loads this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bootstrap: it must load tsx before any TypeScript
require('tsx/cjs/api').register();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
require(require('node:worker_threads').workerData.sourceEntry);
