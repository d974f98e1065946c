import { Button, Group, Pill, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { EXCEPTION_CODES, type ExceptionCode, type ReadType, type ReadingStatus } from '../../../../../src-shared/contracts/energy/meter-readings';
import { countActiveFilters, type ReadingFilterKey, type ReadingFilters } from '../filters';
import { exceptionOptions, readTypeOptions, statusOptions } from '../labels';
import { useReportDimensionOptions, useRouteOptions } from '../options';

interface ReadingFilterBarProps {
  filters: ReadingFilters;
  setFilters: (patch: ReadingFilters, options?: { replace?: boolean }) => void;
  clearFilters: () => void;
  /** Filters the screen pins (the review queue's status) are not offered. */
  hide?: ReadingFilterKey[];
  /** Shown at the end of the bar (saved filters), so the fields use the whole width. */
  trailing?: ReactNode;
}

/**
 * Filters that only arrive through a link (a report row, a meter's history, an account) have no
 * field of their own; they show as removable pills so the user sees why the list is narrowed.
 */
const LINK_ONLY_FILTERS: { key: ReadingFilterKey; label: (value: string) => string }[] = [
  { key: 'category', label: (value) => `Category: ${value}` },
  { key: 'meterId', label: () => 'One meter only' },
  { key: 'accountId', label: () => 'One account only' },
];

/** Every filter of `energy.meterReadings.list`, each writing straight into the URL. */
export function ReadingFilterBar({ filters, setFilters, clearFilters, hide = [], trailing }: ReadingFilterBarProps) {
  const { options: routeOptions } = useRouteOptions();
  const readerOptions = useReportDimensionOptions('reader');
  const shown = (key: ReadingFilterKey) => !hide.includes(key);

  // The search box keeps its own text and writes to the URL once typing pauses, replacing the
  // history entry, so Back does not step through every keystroke.
  const urlSearch = filters.search ?? '';
  const [search, setSearch] = useState(urlSearch);
  const [debouncedSearch] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debouncedSearch.trim() !== urlSearch) setFilters({ search: debouncedSearch.trim() || undefined }, { replace: true });
    // Only the user's typing drives this; URL changes are pulled in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSearch]);
  // A URL change that did not come from this box (Back, Clear filters, a saved filter) replaces its text.
  const [seenUrlSearch, setSeenUrlSearch] = useState(urlSearch);
  if (urlSearch !== seenUrlSearch) {
    setSeenUrlSearch(urlSearch);
    if (urlSearch !== search.trim()) setSearch(urlSearch);
  }

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      {shown('search') && (
        <TextInput
          label="Search"
          placeholder="Meter serial, account no. or name"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={240}
        />
      )}
      {shown('routeId') && (
        <Select
          label="Route"
          placeholder="All routes"
          data={routeOptions}
          value={filters.routeId ?? null}
          onChange={(value) => setFilters({ routeId: value ?? undefined })}
          clearable
          searchable
          w={200}
        />
      )}
      {shown('status') && (
        <Select
          label="Status"
          placeholder="Any status"
          data={statusOptions}
          value={filters.status ?? null}
          onChange={(value) => setFilters({ status: (value as ReadingStatus | null) ?? undefined })}
          clearable
          w={170}
        />
      )}
      {shown('exception') && (
        <Select
          label="Exception"
          placeholder="Any exception"
          data={exceptionOptions}
          value={filters.exception ?? null}
          onChange={(value) => setFilters({ exception: (value as ExceptionCode | null) ?? undefined })}
          clearable
          w={150}
          comboboxProps={{ width: 340, position: 'bottom-start' }}
          renderOption={({ option }) => (
            <div>
              <Text size="sm">{option.label}</Text>
              <Text size="xs" c="dimmed">
                {EXCEPTION_CODES[option.value as ExceptionCode]}
              </Text>
            </div>
          )}
        />
      )}
      {shown('readType') && (
        <Select
          label="Read type"
          placeholder="Any type"
          data={readTypeOptions}
          value={filters.readType ?? null}
          onChange={(value) => setFilters({ readType: (value as ReadType | null) ?? undefined })}
          clearable
          w={130}
        />
      )}
      {shown('readerId') && (
        <Select
          label="Reader"
          placeholder="Anyone"
          data={readerOptions}
          value={filters.readerId ?? null}
          onChange={(value) => setFilters({ readerId: value ?? undefined })}
          clearable
          searchable
          w={160}
        />
      )}
      {shown('from') && (
        <TextInput
          type="date"
          label="From"
          value={filters.from ?? ''}
          max={filters.to}
          onChange={(event) => setFilters({ from: event.currentTarget.value || undefined })}
          w={145}
        />
      )}
      {shown('to') && (
        <TextInput
          type="date"
          label="To"
          value={filters.to ?? ''}
          min={filters.from}
          onChange={(event) => setFilters({ to: event.currentTarget.value || undefined })}
          w={145}
        />
      )}
      {LINK_ONLY_FILTERS.filter(({ key }) => filters[key] !== undefined && shown(key)).map(({ key, label }) => (
        <Pill key={key} size="lg" withRemoveButton onRemove={() => setFilters({ [key]: undefined })} mb={4}>
          {label(String(filters[key]))}
        </Pill>
      ))}
      {countActiveFilters(filters, hide) > 0 && (
        <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clearFilters}>
          Clear filters
        </Button>
      )}
      {trailing ? <div style={{ marginLeft: 'auto' }}>{trailing}</div> : null}
    </Group>
  );
}
