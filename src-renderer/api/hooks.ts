import { notifications } from '@mantine/notifications';
import { useMemo } from 'react';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { CallMeta, InputOf, OutputOf, ProcedureContract } from '../../src-shared/rpc';
import { RpcError, call } from './client';
import { ERROR_GUIDANCE, RETRY_WHEN_BUSY, asRpcError, hasFieldIssues } from './errors';

export { useSession } from './session';

export interface RpcQueryOptions<T = unknown> {
  enabled?: boolean;
  /** A fixed interval, or one decided from the latest data (poll a job only while it runs). */
  refetchInterval?: number | false | ((data: T | undefined) => number | false);
  /** Keep showing the previous page while the next one loads (paging, filters). */
  keepPrevious?: boolean;
}

/** A query keyed `[procedure name, input]`, so invalidation can work by procedure-name prefix. */
export function useRpcQuery<C extends ProcedureContract>(
  contract: C,
  input: InputOf<C>,
  options: RpcQueryOptions<OutputOf<C>> = {},
): UseQueryResult<OutputOf<C>, RpcError> {
  const { refetchInterval = false } = options;
  return useQuery<OutputOf<C>, RpcError>({
    queryKey: [contract.name, input],
    queryFn: () => call(contract, input),
    enabled: options.enabled ?? true,
    refetchInterval: typeof refetchInterval === 'function' ? (query) => refetchInterval(query.state.data) : refetchInterval,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}

/** What every keyset-paged list procedure answers (see `page()` in src-shared/rpc). */
type PagedOutput = { rows: unknown[]; nextCursor: string | null; total: number };
type RowOf<C extends ProcedureContract> = OutputOf<C> extends { rows: (infer R)[] } ? R : never;

/**
 * A keyset-paged list as "Load more" pages: the next page is appended, so the rows already looked
 * at stay put. The key starts with the procedure name, so the function's writes mark it stale like
 * any other of its queries. The server counts (and sums) the whole filtered set on every page; the
 * first page's figures are the ones to show.
 */
export function useRpcPages<C extends ProcedureContract>(
  contract: C,
  filters: Omit<InputOf<C>, 'cursor' | 'limit'>,
  options: { pageSize?: number; refetchInterval?: number | false } = {},
) {
  type Page = OutputOf<C> & PagedOutput;
  const pageSize = options.pageSize ?? 100;
  const query = useInfiniteQuery<Page, RpcError, InfiniteData<Page>, unknown[], string | undefined>({
    queryKey: [contract.name, filters, 'pages'],
    queryFn: ({ pageParam }) =>
      call(contract, { ...filters, limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } as InputOf<C>) as Promise<Page>,
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
  const rows = useMemo(() => (query.data?.pages.flatMap((page) => page.rows) ?? []) as RowOf<C>[], [query.data]);
  const first = query.data?.pages[0] as Page | undefined;
  return { query, rows, first, total: first?.total ?? 0 };
}

export interface RpcMutationOptions<C extends ProcedureContract> {
  /** Procedure-name prefixes whose queries are stale after success; default `<module>.<function>.`. */
  invalidate?: string[];
  onSuccess?(data: OutputOf<C>, input: InputOf<C>): void;
  /** Set false when the screen shows every error itself (a dialog with an ErrorAlert). */
  notifyErrors?: boolean;
}

export interface RpcMutationVariables<C extends ProcedureContract> {
  input: InputOf<C>;
  meta?: CallMeta;
}

/** `energy.meterReadings.create` → `energy.meterReadings.` */
export const procedurePrefix = (name: string): string => name.slice(0, name.lastIndexOf('.') + 1);

export function invalidateByPrefix(queryClient: QueryClient, prefixes: string[]): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const name = query.queryKey[0];
      return typeof name === 'string' && prefixes.some((prefix) => name.startsWith(prefix));
    },
  });
}

export function notifyError(error: unknown): void {
  const rpcError = asRpcError(error);
  // The sign-in dialog already says it; a toast on top would only repeat it.
  if (rpcError.code === 'UNAUTHENTICATED') return;
  const guidance = ERROR_GUIDANCE[rpcError.code];
  const incident = rpcError.details?.incidentId ? ` (incident ${String(rpcError.details.incidentId)})` : '';
  notifications.show({
    color: rpcError.code === 'APPROVAL_REQUIRED' ? 'yellow' : 'red',
    title: guidance.title,
    message: `${rpcError.message}${incident}. ${guidance.nextStep}`,
    autoClose: rpcError.code === 'APPROVAL_REQUIRED' ? 8000 : 10_000,
  });
}

/**
 * A write. On success it marks the function's queries stale (and the audit views, since every
 * write appends to the journal); errors a form cannot show beside a field become a notification.
 */
export function useRpcMutation<C extends ProcedureContract>(
  contract: C,
  options: RpcMutationOptions<C> = {},
): UseMutationResult<OutputOf<C>, RpcError, RpcMutationVariables<C>> {
  const queryClient = useQueryClient();
  const prefixes = [...(options.invalidate ?? [procedurePrefix(contract.name)]), 'audit.', 'approvals.'];
  return useMutation<OutputOf<C>, RpcError, RpcMutationVariables<C>>({
    mutationKey: [contract.name],
    mutationFn: ({ input, meta }) => call(contract, input, meta),
    ...RETRY_WHEN_BUSY,
    onSuccess: async (data, { input }) => {
      options.onSuccess?.(data, input);
      await invalidateByPrefix(queryClient, prefixes);
    },
    onError: (error) => {
      if (options.notifyErrors === false || hasFieldIssues(error)) return;
      notifyError(error);
    },
  });
}

export { RpcError };
