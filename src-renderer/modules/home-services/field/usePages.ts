import { keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { InputOf, OutputOf, ProcedureContract } from '../../../../src-shared/rpc';
import { call, type RpcError } from '../../../api/client';

type Paged = { rows: unknown[]; nextCursor: string | null; total: number };

/**
 * A keyset-paged list as "Load more" pages: the next page is appended so the rows already looked
 * at stay put. The key starts with the procedure name, so the function's writes mark it stale.
 */
export function usePages<C extends ProcedureContract>(contract: C, filters: Omit<InputOf<C>, 'cursor' | 'limit'>, pageSize = 100) {
  type Page = OutputOf<C> & Paged;
  const query = useInfiniteQuery<Page, RpcError, InfiniteData<Page>, unknown[], string | undefined>({
    queryKey: [contract.name, filters, 'pages'],
    queryFn: ({ pageParam }) => call(contract, { ...filters, limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } as InputOf<C>) as Promise<Page>,
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => (query.data?.pages.flatMap((page) => page.rows) ?? []) as Page['rows'], [query.data]);
  // Totals cover the whole filtered set on every page; the first page's are shown.
  return { query, rows, first: query.data?.pages[0] as Page | undefined, total: query.data?.pages[0]?.total ?? 0 };
}
