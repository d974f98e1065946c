import { Badge, Code, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { DateText } from './DateText';

/** `correctedValue` → `Corrected value`, `meter_serial` → `Meter serial`. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function Scalar({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined) return <Text span c="dimmed" size="sm">—</Text>;
  if (typeof value === 'boolean') return <Badge size="xs" variant="light" color={value ? 'green' : 'gray'}>{value ? 'Yes' : 'No'}</Badge>;
  if (typeof value === 'number') return <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{value.toLocaleString()}</Text>;
  const text = String(value);
  if (ISO_INSTANT.test(text)) return <DateText value={text} size="sm" />;
  // Ids and hashes read better in monospace; sentences do not.
  return /^[0-9A-Z]{20,}$|^[0-9a-f-]{24,}$/i.test(text) ? <Code>{text}</Code> : <Text span size="sm" style={{ wordBreak: 'break-word' }}>{text}</Text>;
}

/**
 * A payload or record shown as labelled rows instead of raw JSON, so an approver reads
 * "Corrected value 12,480" rather than `{"correctedValue":12480}`. Nested values indent.
 */
export function ValueView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <Text span c="dimmed" size="sm">(none)</Text>;
    if (value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
      return <Text span size="sm">{value.map(String).join(', ')}</Text>;
    }
    return (
      <Stack gap={4}>
        {value.map((item, index) => (
          <ValueView key={index} value={item} depth={depth + 1} />
        ))}
      </Stack>
    );
  }
  if (!isPlainObject(value)) return <Scalar value={value} />;
  const entries = Object.entries(value);
  if (entries.length === 0) return <Text span c="dimmed" size="sm">(empty)</Text>;
  return (
    <Table withRowBorders={depth === 0} verticalSpacing={4} horizontalSpacing="xs" fz="sm" layout="fixed">
      <Table.Tbody>
        {entries.map(([key, item]) => (
          <Table.Tr key={key}>
            <Table.Td w="38%" c="dimmed" style={{ verticalAlign: 'top' }}>
              {humanizeKey(key)}
            </Table.Td>
            <Table.Td>
              <ValueView value={item} depth={depth + 1} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Top-level fields whose value differs between a before- and after-image of a record. */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const from = isPlainObject(before) ? before : {};
  const to = isPlainObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .filter((key) => key !== 'version' && JSON.stringify(from[key]) !== JSON.stringify(to[key]))
    .map((field) => ({ field, before: from[field], after: to[field] }));
}

/** The changes of one audit event as "Field: old → new" rows; a creation lists the new values. */
export function ChangeList({ before, after }: { before: unknown; after: unknown }) {
  if (before === null || before === undefined) {
    return after === null || after === undefined ? null : <ValueView value={after} />;
  }
  const changes = changedFields(before, after);
  if (changes.length === 0) return <Text size="sm" c="dimmed">No field changed.</Text>;
  return (
    <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" layout="fixed">
      <Table.Tbody>
        {changes.map((change) => (
          <Table.Tr key={change.field}>
            <Table.Td w="30%" c="dimmed" style={{ verticalAlign: 'top' }}>
              {humanizeKey(change.field)}
            </Table.Td>
            <Table.Td style={{ verticalAlign: 'top' }}>
              <Text span size="sm" td="line-through" c="dimmed">
                <ValueView value={change.before} depth={1} />
              </Text>
            </Table.Td>
            <Table.Td style={{ verticalAlign: 'top' }}>
              <ValueView value={change.after} depth={1} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
