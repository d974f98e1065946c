// Entry of a race desk's worker thread: a worker does not inherit the parent's tsx loader, so
// register tsx's require hook first, then run the TypeScript desk.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry point: require is the point */
require('tsx/cjs/api').register();
require('./home-services-race-worker.ts');
