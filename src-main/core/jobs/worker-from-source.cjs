// Entry of a job worker when the app runs from TypeScript sources (browser mode, tests): a worker
// thread does not inherit the parent's tsx loader, so register tsx's require hook here first.
// The desktop build bundles worker.ts into out/main/worker.js and never loads this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bootstrap: it must load tsx before any TypeScript
require('tsx/cjs/api').register();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
require('./worker.ts');
