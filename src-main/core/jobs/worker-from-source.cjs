// Entry of a job worker when the app runs from TypeScript sources (browser mode, tests): a worker
// thread does not inherit the parent's tsx loader, so register tsx's require hook here first.
// The desktop build bundles worker.ts into out/main/worker.js and never loads this file.
require('tsx/cjs/api').register();
require('./worker.ts');
