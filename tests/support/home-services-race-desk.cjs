// Entry of a race desk's worker thread: a worker does not inherit the parent's tsx loader, so
// register tsx's require hook first, then run the TypeScript desk.
require('tsx/cjs/api').register();
require('./home-services-race-worker.ts');
