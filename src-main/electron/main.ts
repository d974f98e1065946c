import path from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, session } from 'electron';
import { createApp, type App } from '../app';
import { startBackgroundWork, type BackgroundWork } from '../core/routines/background';
import { registerIpcTransport, rendererUrlMatcher, senderCheckFor } from '../transports/ipc';
import { createFileLogger } from './log';
import { installMenu } from './menu';
import { registerPrinting } from './print';
import { PACKAGED_RENDERER_URL, registerRendererScheme, serveRenderer } from './renderer-protocol';
import { contentSecurityPolicy, guardWebContents, hardenSession } from './security';
import { startAutoUpdates } from './updater';
import { createMainWindow } from './window';

/**
 * The desktop shell. It stays thin: it opens the store, hands the kernel to the IPC transport and
 * shows the renderer in a locked-down window. Everything else is the same code browser mode runs.
 */

const PRODUCT_NAME = 'Plug1 Operations';

// One folder for the store whether run from source or installed (Electron would otherwise name it
// after package.json's "name" in dev), and the same one browser mode uses by default.
app.setName(PRODUCT_NAME);
app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME));
registerRendererScheme();

if (app.requestSingleInstanceLock()) {
  runShell();
} else {
  // Two windows on one store would each believe they own the job workers; focus the first instead.
  app.quit();
}

function runShell(): void {
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const rendererUrl = devServerUrl ?? PACKAGED_RENDERER_URL;
  const isRendererUrl = rendererUrlMatcher(rendererUrl);
  const dataDir = app.getPath('userData');
  const log = createFileLogger(path.join(dataDir, 'logs'));
  let mainWindow: BrowserWindow | null = null;
  let core: App | null = null;
  let background: BackgroundWork | null = null;

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isRendererUrl));

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  const openWindow = () => {
    mainWindow = createMainWindow({
      rendererUrl,
      preloadPath: path.join(__dirname, '../preload/index.js'),
      title: PRODUCT_NAME,
      devTools: !app.isPackaged,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  void app.whenReady().then(() => {
    try {
      core = createApp({ dataDir, log });
      core.kernel.jobs.warmUp();
    } catch (err) {
      // e.g. a store written by a newer version: say why and stop, never touch the file.
      log.error('The store could not be opened', err);
      dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }

    const csp = contentSecurityPolicy(devServerUrl);
    if (!devServerUrl) serveRenderer(path.join(__dirname, '../renderer'), csp);
    hardenSession(session.defaultSession, csp, isRendererUrl);

    const isTrustedSender = senderCheckFor(rendererUrl);
    registerIpcTransport(ipcMain, core.kernel, isTrustedSender);
    registerPrinting(ipcMain, isTrustedSender);

    installMenu({ dev: !app.isPackaged });
    openWindow();
    // Sync to HQ and the routines run while the app is open (the window's process owns the store).
    background = startBackgroundWork(core);
    if (app.isPackaged) startAutoUpdates(log);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Closing the store waits for a sync, a routine and running jobs to stop cleanly, so hold the quit until it is done.
  let closing: Promise<void> | null = null;
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !core) return;
    event.preventDefault();
    const store = core;
    closing ??= (background?.stop() ?? Promise.resolve())
      .then(() => store.close())
      .catch((err: unknown) => log.error('Closing the store failed', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
