import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { customersGet, customersList, type Customer } from '../../../../src-shared/contracts/home-services/master-data';
import { useRpcQuery } from '../../../api/hooks';

interface CustomerPickerProps extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> {
  value: string | null;
  onChange(customer: Customer | null): void;
}

/**
 * Find a customer as you type (number, name, phone or address); the chosen one stays shown even
 * when the search moves on. The list is searched on the server, so ten thousand customers cost
 * what ten do.
 */
export function CustomerPicker({ value, onChange, ...props }: CustomerPickerProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const found = useRpcQuery(customersList, { search: debounced || undefined, limit: 20 }, { keepPrevious: true });
  const chosen = useRpcQuery(customersGet, { id: value ?? '' }, { enabled: value !== null });
  const rows = useMemo(() => {
    const list = [...(found.data?.rows ?? [])];
    if (chosen.data && !list.some((c) => c.id === chosen.data.id)) list.unshift(chosen.data);
    return list;
  }, [found.data, chosen.data]);
  const data = rows.map((c) => ({ value: c.id, label: `${c.name} · ${c.customerNo}${c.zoneCode ? ` · ${c.zoneCode}` : ''}` }));
  return (
    <Select
      searchable
      clearable
      nothingFoundMessage={debounced ? 'No customer matches; register them with “New customer”' : 'Type a name, number or phone'}
      filter={({ options }) => options}
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => onChange(rows.find((c) => c.id === id) ?? null)}
      {...props}
    />
  );
}
