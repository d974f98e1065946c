import type { z } from 'zod';
import { AppError } from '../src-shared/errors';

/** Validates input with its schema, answering VALIDATION with every issue beside its field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new AppError('VALIDATION', `${first.path ? `${first.path}: ` : ''}${first.message}${more}`, { issues });
}
