import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  rendererUrl: string;
  preloadPath: string;
  title: string;
  /** Developer tools only outside the installed app: a counter PC is not a debugging station. */
  devTools: boolean;
}

export function createMainWindow({ rendererUrl, preloadPath, title, devTools }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title,
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  });
  // Showing only once painted avoids a white flash on slow counter PCs.
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl);
  return window;
}
