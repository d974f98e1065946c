import { Text, Tooltip, type TextProps } from '@mantine/core';
import { systemStatus } from '../../src-shared/contracts/kernel';
import { useRpcQuery } from '../api/hooks';

export type DateStyle = 'date' | 'datetime' | 'time';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { day: '2-digit', month: 'short', year: 'numeric' },
  datetime: { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
};

/**
 * Instants are stored in UTC and shown in the *branch's* time zone (not the PC's), so every
 * screen and report of a branch agrees on what "today" was. Calendar dates (YYYY-MM-DD) are
 * already branch-local and are never shifted.
 */
export function formatDate(value: string, style: DateStyle, timeZone: string | undefined): string {
  if (LOCAL_DATE.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return new Intl.DateTimeFormat(undefined, { ...OPTIONS.date, timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, d!));
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  try {
    return new Intl.DateTimeFormat(undefined, { ...OPTIONS[style], timeZone }).format(instant);
  } catch {
    // An unknown zone name in settings must not blank the screen: fall back to the PC's zone.
    return new Intl.DateTimeFormat(undefined, OPTIONS[style]).format(instant);
  }
}

/** The branch's IANA time zone, or undefined (the PC's) until system.status has answered. */
export function useBranchTimeZone(): string | undefined {
  const status = useRpcQuery(systemStatus, {});
  return status.data?.timeZone;
}

export interface DateTextProps extends TextProps {
  value: string | null | undefined;
  format?: DateStyle;
  /** What to show when there is no value. */
  fallback?: string;
}

export function DateText({ value, format = 'datetime', fallback = '—', ...textProps }: DateTextProps) {
  const timeZone = useBranchTimeZone();
  if (!value) {
    return (
      <Text span c="dimmed" inherit {...textProps}>
        {fallback}
      </Text>
    );
  }
  const exact = LOCAL_DATE.test(value) ? value : `${value} (UTC) · shown in ${timeZone ?? 'this computer’s time zone'}`;
  return (
    <Tooltip label={exact} openDelay={600} withArrow>
      <Text span inherit style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} {...textProps}>
        {formatDate(value, format, timeZone)}
      </Text>
    </Tooltip>
  );
}
