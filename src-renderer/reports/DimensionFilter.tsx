import { Select } from '@mantine/core';
import { useState } from 'react';
import { reportsRun, type Dimension, type ReportFilters } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';

interface Props {
  report: string;
  dimension: Dimension;
  from: string;
  to: string;
  /** The other filters: the choices are the values that still have records under them. */
  filters: ReportFilters;
  value: string | undefined;
  /** The chosen value's label, known from the report before the options load. */
  valueLabel?: string;
  onChange(value: string | null): void;
}

/**
 * A filter on one drilldown (reader, cashier, shift, category…). Its choices come from the report
 * itself grouped by that dimension, loaded when the list is first opened, so they are exactly the
 * values with records in the range.
 */
export function DimensionFilter({ report, dimension, from, to, filters, value, valueLabel, onChange }: Props) {
  const [opened, setOpened] = useState(false);
  const others = Object.fromEntries(Object.entries(filters).filter(([key]) => key !== dimension.key));
  const options = useRpcQuery(reportsRun, { report, from, to, groupBy: dimension.key, filters: others }, { enabled: opened || value !== undefined });
  const data = (options.data?.rows ?? []).map((r) => ({ value: r.key, label: r.label }));
  if (value !== undefined && !data.some((d) => d.value === value)) data.unshift({ value, label: valueLabel ?? value });
  return (
    <Select
      label={dimension.label}
      placeholder="All"
      data={data}
      value={value ?? null}
      onChange={onChange}
      onDropdownOpen={() => setOpened(true)}
      clearable
      searchable
      nothingFoundMessage={options.isFetching ? 'Loading…' : 'Nothing in this range'}
      w={200}
      comboboxProps={{ width: 280, position: 'bottom-start' }}
    />
  );
}
