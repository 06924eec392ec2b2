import { describe, expect, it } from 'vitest';
import { formatMoney } from '../src/lib/format';

describe('formatMoney', () => {
  it('shows cents, thousands separators, and never calls a real cost 0.00', () => {
    expect(formatMoney(0, 'EUR')).toBe('0.00 EUR');
    expect(formatMoney(0.00325, 'EUR')).toBe('< 0.01 EUR');
    expect(formatMoney(0.005, 'USD')).toBe('0.01 USD');
    expect(formatMoney(1234.5, 'USD')).toBe('1,234.50 USD');
  });
});
