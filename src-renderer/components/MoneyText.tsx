import { Text, type TextProps } from '@mantine/core';

/** Fraction digits of a currency (2 for USD, 0 for JPY, 3 for KWD), from the platform's tables. */
function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money travels as integer minor units; this is the only place it becomes a decimal, for display. */
export function formatMoney(minor: number, currency?: string): string {
  if (!currency) {
    return new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
  }
  const digits = fractionDigits(currency);
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
}

export interface MoneyTextProps extends TextProps {
  /** Integer minor units (cents). */
  value: number | null | undefined;
  /** ISO 4217 code; without it the amount is shown with two decimals and no symbol. */
  currency?: string;
  /** Show negative amounts (credits, refunds) in red. */
  colorNegative?: boolean;
}

export function MoneyText({ value, currency, colorNegative = true, ...textProps }: MoneyTextProps) {
  if (value === null || value === undefined) {
    return (
      <Text span c="dimmed" inherit {...textProps}>
        —
      </Text>
    );
  }
  return (
    <Text
      span
      inherit
      c={colorNegative && value < 0 ? 'red' : undefined}
      style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
      {...textProps}
    >
      {formatMoney(value, currency)}
    </Text>
  );
}
