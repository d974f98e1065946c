import { Menu, app, type MenuItemConstructorOptions } from 'electron';

/**
 * A short menu: the app is driven from its own screens and keyboard shortcuts. The Edit menu
 * stays because it carries the copy/paste accelerators; reload and developer tools only in dev,
 * so a cashier cannot lose a half-typed form to a stray Ctrl+R.
 */
export function installMenu({ dev }: { dev: boolean }): void {
  const view: MenuItemConstructorOptions[] = [
    ...(dev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { label: '&File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `About ${app.getName()}`, click: () => app.showAboutPanel() }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
