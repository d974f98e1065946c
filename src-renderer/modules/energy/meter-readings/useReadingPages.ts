import { readingsList } from '../../../../src-shared/contracts/energy/meter-readings';
import { useRpcPages } from '../../../api/hooks';
import type { ReadingFilters } from './filters';

/**
 * The readings list paged by the server's cursor ("Load more" keeps the rows a supervisor already
 * looked at), with the filtered set's consumption and exception totals from the first page.
 */
export function useReadingPages(filters: ReadingFilters) {
  const pages = useRpcPages(readingsList, filters);
  return { ...pages, totals: pages.first?.totals ?? { consumption: 0, exceptions: 0 } };
}
