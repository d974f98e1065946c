import os from 'node:os';
import path from 'node:path';

/**
 * The per-user app-data folder, the same one Electron's `app.getPath('userData')` gives for this
 * product name, so browser mode and the desktop window open the same store.
 */
export function defaultDataDir(productName = 'Plug1 Operations'): string {
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), productName);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', productName);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), productName);
}
