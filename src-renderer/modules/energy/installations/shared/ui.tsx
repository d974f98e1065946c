import { Button, Group, Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { asRpcError } from '../../../../api/errors';
import { invalidateByPrefix, useSession } from '../../../../api/hooks';
import { ErrorAlert } from '../../../../components';

/*
 * Small pieces the installation and maintenance screens share: today in the branch's calendar,
 * a labelled read-only field, and the dialog every action form sits in.
 */

/** Today as YYYY-MM-DD in the branch's time zone (a clerk at 00:30 UTC may still be in yesterday). */
export function localToday(timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function useToday(): string {
  const { system } = useSession();
  return localToday(system.timeZone);
}

export interface ActionDialogProps {
  opened: boolean;
  title: string;
  onClose(): void;
  onSubmit(): void;
  submitLabel: string;
  busy: boolean;
  error?: unknown;
  children: ReactNode;
  /** Red submit button for actions that cannot be undone (cancel, retire). */
  danger?: boolean;
}

/** A modal form: Enter submits, errors the form cannot place beside a field show above the buttons. */
export function ActionDialog({ opened, title, onClose, onSubmit, submitLabel, busy, error, children, danger }: ActionDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {children}
          {error ? <ErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color={danger ? 'red' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const hoursFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** `26.5` → `1 d 2.5 h`; short spans stay in hours. */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  const sign = hours < 0 ? '−' : '';
  const abs = Math.abs(hours);
  if (abs < 48) return `${sign}${hoursFormat.format(abs)} h`;
  const days = Math.floor(abs / 24);
  return `${sign}${days} d ${hoursFormat.format(abs - days * 24)} h`;
}

export const formatNumber = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '—' : new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value);

/**
 * A gated action answers APPROVAL_REQUIRED: the request now waits for a checker. Says so, and
 * refreshes the approval banners (a failed mutation refreshes nothing by itself). Answers whether
 * the error was that.
 */
export function useApprovalRequested(): (error: unknown, what: string) => boolean {
  const queryClient = useQueryClient();
  return (error, what) => {
    if (asRpcError(error).code !== 'APPROVAL_REQUIRED') return false;
    notifications.show({ color: 'yellow', title: 'Sent for approval', message: `${what} waits for a supervisor's decision.` });
    void invalidateByPrefix(queryClient, ['approvals.']);
    return true;
  };
}
