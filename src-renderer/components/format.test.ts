import { describe, expect, it } from 'vitest';
import { formatDate } from './DateText';
import { formatMoney } from './MoneyText';
import { changedFields } from './ValueView';

describe('formatDate', () => {
  it('shows an instant in the branch time zone, not the computer’s', () => {
    // 23:30 UTC on 1 Jan is already 2 Jan in Johannesburg (UTC+2).
    const shown = formatDate('2026-01-01T23:30:00.000Z', 'datetime', 'Africa/Johannesburg');
    expect(shown).toMatch(/02/);
    expect(shown).toMatch(/01:30/);
  });

  it('never shifts a calendar date, whatever the zone', () => {
    expect(formatDate('2026-03-01', 'date', 'Pacific/Kiritimati')).toMatch(/01/);
    expect(formatDate('2026-03-01', 'date', 'Pacific/Pago_Pago')).toMatch(/01/);
    expect(formatDate('2026-03-01', 'date', 'Pacific/Pago_Pago')).toMatch(/Mar/);
  });

  it('falls back to the computer’s zone when the branch zone name is unknown', () => {
    expect(() => formatDate('2026-01-01T10:00:00Z', 'datetime', 'Mars/Olympus')).not.toThrow();
  });
});

describe('formatMoney', () => {
  it('divides minor units by the currency’s own number of decimals', () => {
    expect(formatMoney(123456, 'USD')).toContain('1,234.56');
    expect(formatMoney(1234, 'JPY')).toContain('1,234');
    expect(formatMoney(1234, 'JPY')).not.toContain('12.34');
  });

  it('shows two decimals without a currency', () => {
    expect(formatMoney(-500)).toBe('-5.00');
  });
});

describe('changedFields', () => {
  it('lists only fields whose value changed, and never the row version', () => {
    const changes = changedFields(
      { displayName: 'Ray', roleKey: 'meter_reader', active: true, version: 3 },
      { displayName: 'Ray', roleKey: 'cashier', active: false, version: 4 },
    );
    expect(changes).toEqual([
      { field: 'roleKey', before: 'meter_reader', after: 'cashier' },
      { field: 'active', before: true, after: false },
    ]);
  });
});
