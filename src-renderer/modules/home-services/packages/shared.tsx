import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { TENDERS, type Tender } from '../../../../src-shared/contracts/energy/counter';
import type { InputOf, ProcedureContract } from '../../../../src-shared/rpc';
import { RpcError } from '../../../api/client';
import { useRpcMutation } from '../../../api/hooks';
import { ErrorAlert, useBranchTimeZone } from '../../../components';

/** Screens of service package billing and subscription billing share these pieces. */

export const PKG_BASE = '/home-services/packages';
export const SUB_BASE = '/home-services/subscriptions';

export const TENDER_BY_KEY: Record<string, Tender> = Object.fromEntries(Object.entries(TENDERS).map(([tender, t]) => [t.key, tender as Tender]));
export const TENDER_HINT = 'F1 cash · F2 card · F3 cheque · F4 transfer';
/**
 * Periods are stored half-open [start, end): a monthly period from 23 November ends on 23 December,
 * the first day of the next one. People read a period by its last day, so screens show end − 1.
 */
export const lastDayOf = (endExclusive: string): string => new Date(Date.parse(`${endExclusive}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
export const periodRange = (start: string, endExclusive: string): string => `${start} – ${lastDayOf(endExclusive)}`;

export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** Filters kept in the URL, so a drilldown or a bookmark is a link. Empty values are dropped. */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = (patch: Partial<Record<K, string>>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of Object.entries(patch) as [K, string][]) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return { values, set };
}

/**
 * A dialog for an action a supervisor must approve (freeze, refund, transfer…): the maker gives a
 * reason, the request goes to the approvals inbox, and the dialog says so instead of an error.
 */
export function GatedActionDialog<C extends ProcedureContract>({
  title,
  contract,
  explain,
  buildInput,
  children,
  submitLabel,
  onClose,
  invalidate,
}: {
  title: string;
  contract: C;
  explain: ReactNode;
  /** The procedure's input from the reason typed here; null when a field of `children` is missing. */
  buildInput: (reason: string) => InputOf<C> | null;
  children?: ReactNode;
  submitLabel: string;
  onClose(): void;
  invalidate?: string[];
}) {
  const action = useRpcMutation(contract, { notifyErrors: false, invalidate });
  const [reason, setReason] = useState('');
  const [waiting, setWaiting] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = buildInput(reason.trim());
    if (!input) return setMissing('Fill in the fields above');
    setMissing(null);
    action.mutate(
      { input },
      {
        onSuccess: onClose,
        onError: (err) => {
          if (err instanceof RpcError && err.code === 'APPROVAL_REQUIRED') setWaiting(true);
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={title}>
      {waiting ? (
        <Alert color="yellow" title="Sent for approval" role="status">
          A supervisor decides it in Approvals; it runs as soon as they approve.
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">{explain}</Text>
            {children}
            <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autoFocus={!children} description="The approver reads it" />
            {missing ? <Text c="red" size="sm">{missing}</Text> : null}
            {action.error && action.error.code !== 'APPROVAL_REQUIRED' ? <ErrorAlert error={action.error} /> : null}
            <Button type="submit" loading={action.isPending}>
              {submitLabel}
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** F1–F4 set the tender, wherever the cashier's focus is on the counter screen. */
export function useTenderKeys(onTender: (tender: Tender) => void) {
  return (key: string): boolean => {
    const tender = TENDER_BY_KEY[key];
    if (!tender) return false;
    onTender(tender);
    return true;
  };
}

export function TenderButtons({ value, onChange }: { value: Tender; onChange(tender: Tender): void }) {
  return (
    <Group gap="xs" role="radiogroup" aria-label="Tender">
      {(Object.keys(TENDERS) as Tender[]).map((t) => (
        <Button key={t} size="xs" variant={t === value ? 'filled' : 'default'} role="radio" aria-checked={t === value} onClick={() => onChange(t)}>
          {TENDERS[t].key} {TENDERS[t].label}
        </Button>
      ))}
    </Group>
  );
}

/** A calendar date `days` from today in the branch's time zone (YYYY-MM-DD), for date fields' defaults. */
export function useBranchDate(): (days?: number) => string {
  const timeZone = useBranchTimeZone();
  return (days = 0) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(Date.now() + days * 86_400_000);
}
