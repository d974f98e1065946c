import type { Session, WebContents } from 'electron';

/**
 * Everything the page may load comes from our own origin. Mantine writes inline styles, hence
 * 'unsafe-inline' for styles only. Under the dev server, Vite's React refresh preamble is an
 * inline script and HMR talks over a websocket, so the dev policy relaxes exactly those two.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    dev ? `connect-src 'self' ws://${dev.host}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export type UrlCheck = (url: string | null | undefined) => boolean;

/**
 * Session-wide hardening: the CSP on every HTTP response (the dev server; packaged pages get it
 * from the app protocol, where webRequest does not reach), and no permission for anything except
 * writing to the clipboard from our own pages (copy buttons for account and job numbers).
 */
export function hardenSession(session: Session, contentSecurityPolicy: string, isRendererUrl: UrlCheck): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'clipboard-sanitized-write' && isRendererUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) => permission === 'clipboard-sanitized-write' && isRendererUrl(requestingOrigin),
  );
}

/**
 * Applied to every web contents the app ever creates: the window may move only within our own
 * renderer, never opens new windows, and never embeds a <webview>.
 */
export function guardWebContents(contents: WebContents, isRendererUrl: UrlCheck): void {
  contents.on('will-navigate', (event) => {
    if (!isRendererUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isRendererUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
