import { autoUpdater } from 'electron-updater';
import type { Logger } from '../core/rpc/kernel';

/** Branch PCs stay on all day; look again now and then, not only at start. */
const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/**
 * Checks the generic feed named in electron-builder.yml (`publish`), downloads in the background
 * and installs on the next quit. An offline branch is normal: failures are logged, never fatal.
 * Only call this in the installed app; a dev build has no app-update.yml to read the feed from.
 */
export function startAutoUpdates(log: Logger): void {
  autoUpdater.logger = {
    info: (message?: unknown) => log.info(`[updater] ${String(message)}`),
    warn: (message?: unknown) => log.info(`[updater] warning: ${String(message)}`),
    error: (message?: unknown) => log.error(`[updater] ${String(message)}`),
  };
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (err) => log.error('[updater] update failed', err));
  const check = () => {
    autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => log.error('[updater] update check failed', err));
  };
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
}
