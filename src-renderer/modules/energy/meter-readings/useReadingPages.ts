import { keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { useMemo } from 'react';
import { readingsList, type Reading } from '../../../../src-shared/contracts/energy/meter-readings';
import { call, type RpcError } from '../../../api/client';
import type { OutputOf } from '../../../../src-shared/rpc';
import type { ReadingFilters } from './filters';

const PAGE_SIZE = 100;

type ReadingsPage = OutputOf<typeof readingsList>;

/**
 * The readings list paged by the server's cursor: "Load more" appends the next page, so a
 * supervisor keeps the rows already looked at. The key starts with the procedure name, so every
 * meter reading write (review, create, import) marks it stale like any other query of the function.
 */
export function useReadingPages(filters: ReadingFilters) {
  const query = useInfiniteQuery<ReadingsPage, RpcError, InfiniteData<ReadingsPage>, unknown[], string | undefined>({
    queryKey: [readingsList.name, filters, 'pages'],
    queryFn: ({ pageParam }) =>
      call(readingsList, { ...filters, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

  const rows = useMemo<Reading[]>(() => query.data?.pages.flatMap((page) => page.rows) ?? [], [query.data]);
  // The server counts and sums the whole filtered set on every page; the first page's figures are the ones shown.
  const first = query.data?.pages[0];
  return {
    query,
    rows,
    total: first?.total ?? 0,
    totals: first?.totals ?? { consumption: 0, exceptions: 0 },
  };
}
