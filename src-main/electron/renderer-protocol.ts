import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';

/**
 * The packaged renderer is served from our own `plug1://app/` origin instead of `file://`:
 * Electron cannot attach response headers (our CSP) to file:// pages, and file:// pages get
 * extra privileges we do not want (see the grantFileProtocolExtraPrivileges fuse in
 * electron-builder.yml). A standard, secure scheme also gives the page a real origin for 'self'.
 */
const SCHEME = 'plug1';
const HOST = 'app';

export const PACKAGED_RENDERER_URL = `${SCHEME}://${HOST}/index.html`;

/** Must run before the app is ready: Chromium fixes its scheme table at startup. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** What Vite emits into out/renderer; anything else is served as opaque bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Serves `rendererDir` read-only, with the given Content-Security-Policy on every response. */
export function serveRenderer(rendererDir: string, contentSecurityPolicy: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) return new Response('Not found', { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
