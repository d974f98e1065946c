/**
 * The error model every procedure speaks. Errors are data, not exceptions, once they leave the
 * kernel: `{ code, message, details }`. The codes are closed so clients can switch on them.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'APPROVAL_REQUIRED',
  'RULE_VIOLATION',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `lines.2.amount`; empty for the whole input. */
  path: string;
  message: string;
}

export interface ErrorDetails {
  issues?: FieldIssue[];
  /** For RULE_VIOLATION: the named rule that refused the action. */
  rule?: string;
  /** For APPROVAL_REQUIRED: the request an approver must decide. */
  approvalId?: string;
  /** For INTERNAL: the id under which the failure was logged. */
  incidentId?: string;
  [key: string]: unknown;
}

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): AppErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isAppErrorShape = (value: unknown): value is AppErrorShape =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { code?: unknown }).code === 'string' &&
  (ERROR_CODES as readonly string[]).includes((value as { code: string }).code);

/** A domain rule said no; `rule` names it so clients and tests can tell rules apart. */
export const ruleViolation = (rule: string, message: string, extra?: ErrorDetails): AppError =>
  new AppError('RULE_VIOLATION', message, { ...extra, rule });

export const notFound = (what: string, id: string): AppError =>
  new AppError('NOT_FOUND', `${what} ${id} was not found`, { entity: what, id });

export const conflict = (message: string, details?: ErrorDetails): AppError =>
  new AppError('CONFLICT', message, details);

/** HTTP status that fits each code in browser mode. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  APPROVAL_REQUIRED: 202,
  RULE_VIOLATION: 422,
  INTERNAL: 500,
};
