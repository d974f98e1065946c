import type { ErrorCode } from '../../src-shared/errors';
import { RpcError } from './client';

/** A heading and the next step for each error code, in the words a counter clerk would use. */
export const ERROR_GUIDANCE: Record<ErrorCode, { title: string; nextStep: string }> = {
  UNAUTHENTICATED: { title: 'Signed out', nextStep: 'Sign in again; what you typed stays on screen.' },
  FORBIDDEN: {
    title: 'Not allowed for your role',
    nextStep: 'Ask an administrator to grant the permission, or ask a colleague who holds it.',
  },
  VALIDATION: { title: 'Some fields need attention', nextStep: 'Correct the fields marked below and try again.' },
  NOT_FOUND: { title: 'Not found', nextStep: 'It may have been removed or the link is old. Go back to the list and search again.' },
  CONFLICT: {
    title: 'Someone else changed this first',
    nextStep: 'Reload to see the latest version, then repeat your change.',
  },
  APPROVAL_REQUIRED: {
    title: 'Sent for approval',
    nextStep: 'An approver must decide before this takes effect. Follow it under Approvals → Mine.',
  },
  RULE_VIOLATION: { title: 'A business rule refused this', nextStep: 'Read the reason below; change the input or ask a supervisor.' },
  INTERNAL: {
    title: 'Something went wrong on our side',
    nextStep: 'Try again. If it keeps happening, give the incident id to your administrator.',
  },
};

/**
 * A save the server refused because long work held the store (a billing run posting, an import
 * saving) saved nothing, so it is safe to send again as it was, idempotency key and all. Saves
 * retry it by themselves for about 20 seconds, the button still spinning, before the clerk sees it.
 */
export const isBusy = (error: unknown): boolean => error instanceof RpcError && error.code === 'CONFLICT' && error.details?.busy === true;

export const RETRY_WHEN_BUSY = {
  retry: (failures: number, error: unknown): boolean => isBusy(error) && failures < 3,
  // Each attempt already waits up to 5 s for the store (its busy timeout) before it is refused.
  retryDelay: (failures: number): number => 1000 * 2 ** failures,
};

export function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  return new RpcError('INTERNAL', error instanceof Error ? error.message : 'Unexpected error');
}

/** True when a form can show the problem next to its fields, so no toast is needed. */
export function hasFieldIssues(error: unknown): boolean {
  return (
    error instanceof RpcError &&
    (error.code === 'VALIDATION' || error.code === 'CONFLICT') &&
    (error.details?.issues?.some((i) => i.path !== '') ?? false)
  );
}
