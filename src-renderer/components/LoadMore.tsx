import { Button } from '@mantine/core';

export interface LoadMoreProps {
  /** The paged query (`useRpcPages(...).query`). */
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}

/** The footer of a paged list: appends the next page, and is gone once everything is shown. */
export function LoadMore({ query }: LoadMoreProps) {
  if (!query.hasNextPage) return null;
  return (
    <Button variant="default" size="xs" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
      Load more
    </Button>
  );
}
