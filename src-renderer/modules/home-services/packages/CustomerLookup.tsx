import { Button, Group, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { customersFind, type CustomerHit } from '../../../../src-shared/contracts/home-services/packages';
import { useRpcQuery } from '../../../api/hooks';
import { formatAmount } from '../../energy/counter/printing';

/**
 * The counter's customer search: the box has focus; Enter finds by customer number, phone or
 * name; the first match is the customer unless the cashier picks another. Remount it (a new
 * `key`) for the next customer.
 */
export function CustomerLookup({ onCustomer, disabled, initialQuery }: { onCustomer(hit: CustomerHit | null): void; disabled?: boolean; initialQuery?: string }) {
  const [query, setQuery] = useState(initialQuery ?? '');
  const [search, setSearch] = useState<string | null>(initialQuery || null);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const hits = useRpcQuery(customersFind, { query: search ?? '', limit: 10 }, { enabled: !!search });
  const hit = (chosenId ? hits.data?.find((h) => h.customerId === chosenId) : hits.data?.[0]) ?? null;
  useEffect(() => onCustomer(hit), [hit?.customerId]); // eslint-disable-line react-hooks/exhaustive-deps -- the parent reacts to who, not to each refetch

  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setChosenId(null);
          setSearch(query.trim() || null);
        }}
      >
        <TextInput
          label="Find customer"
          description="Customer number, phone or name — Enter"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          autoFocus
          disabled={disabled}
          data-counter-search
        />
      </form>
      {search && hits.data && hits.data.length === 0 ? <Text c="dimmed">No customer matches “{search}”. Try the customer number or the phone number.</Text> : null}
      {hits.data && hits.data.length > 1 ? (
        <Group gap="xs">
          {hits.data.map((h) => (
            <Button key={h.customerId} size="xs" variant={h.customerId === hit?.customerId ? 'filled' : 'default'} onClick={() => setChosenId(h.customerId)}>
              {h.customerNo} {h.name}
              {h.owed ? ` · owes ${formatAmount(h.owed)}` : ''}
            </Button>
          ))}
        </Group>
      ) : null}
    </>
  );
}
