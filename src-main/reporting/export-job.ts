import fs from 'node:fs';
import path from 'node:path';
import type { JobContext } from '../core/jobs/types';

export type ExportFormat = 'xlsx' | 'csv';

export const EXPORT_MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

export interface ExportedFile {
  /** What the user's download is called. */
  name: string;
  /** Relative to the data folder, so a moved data folder keeps its exports. */
  path: string;
  mime: string;
  size: number;
}

/** Thrown from a progress callback to stop a writer between rows. */
export class ExportCancelled extends Error {
  constructor() {
    super('Export cancelled');
    this.name = 'ExportCancelled';
  }
}

/** A file-safe download name: `Meter readings 2024-03` → `meter-readings-2024-03`. */
export const fileStem = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'export';

/**
 * Runs one export as a job: the writer fills `<dataDir>/exports/<jobId>.<ext>`, and the job's
 * result names the file for download. A failed or cancelled export leaves no file behind.
 *
 * `write` receives the absolute path and a `tick(written, total)` to call every few hundred rows:
 * it reports progress and throws ExportCancelled once someone pressed cancel.
 */
export async function exportJob(
  job: JobContext,
  spec: {
    title: string;
    format: ExportFormat;
    write: (filePath: string, tick: (written: number, total: number) => void) => Promise<void>;
  },
): Promise<{ file: ExportedFile } | { cancelled: true }> {
  const relative = path.join('exports', `${job.jobId}.${spec.format}`);
  const absolute = path.join(job.kernel.dataDir, relative);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const tick = (written: number, total: number) => {
    if (job.cancelled()) throw new ExportCancelled();
    job.progress(total > 0 ? Math.min(0.99, written / total) : 0.5, `${written.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`);
  };
  try {
    await spec.write(absolute, tick);
  } catch (err) {
    fs.rmSync(absolute, { force: true });
    if (err instanceof ExportCancelled) return { cancelled: true };
    throw err;
  }
  return {
    file: {
      name: `${fileStem(spec.title)}.${spec.format}`,
      path: relative,
      mime: EXPORT_MIME[spec.format],
      size: fs.statSync(absolute).size,
    },
  };
}
