import type { IpcMain, WebContents, WebContentsPrintOptions } from 'electron';
import { IPC_CHANNELS, type PrintOptions, type PrintOutcome } from '../../src-shared/bridge';
import type { SenderCheck } from '../transports/ipc';

/**
 * Prints what the page shows; receipts and bills lay themselves out with print CSS. `silent`
 * sends straight to the (receipt) printer so the cashier's Enter is the last keystroke.
 */
export function printPage(contents: WebContents, options: PrintOptions = {}): Promise<PrintOutcome> {
  const printOptions: WebContentsPrintOptions = { silent: options.silent === true, printBackground: true };
  if (options.deviceName) printOptions.deviceName = options.deviceName;
  return new Promise((resolve) => {
    contents.print(printOptions, (success, failureReason) => {
      resolve(success ? { printed: true } : { printed: false, reason: failureReason || 'The page was not printed' });
    });
  });
}

export function registerPrinting(ipc: IpcMain, isTrustedSender: SenderCheck): void {
  ipc.handle(IPC_CHANNELS.print, (event, rawOptions: unknown): Promise<PrintOutcome> => {
    if (!isTrustedSender(event)) {
      return Promise.resolve({ printed: false, reason: 'Printing is available only to the Plug1 Operations window' });
    }
    return printPage(event.sender, readPrintOptions(rawOptions));
  });
}

function readPrintOptions(raw: unknown): PrintOptions {
  const options = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const deviceName = typeof options.deviceName === 'string' && options.deviceName.length > 0 ? options.deviceName : undefined;
  return { silent: options.silent === true, ...(deviceName ? { deviceName } : {}) };
}
