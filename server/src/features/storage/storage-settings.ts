/** What an admin sets for storage: trash retention, the clean-up threshold, prices per GB-month. */
import { Invalid } from '../../lib/errors.js';
import type { SettingsRepository } from '../../ports/catalog.js';

export const STORAGE_SETTINGS_KEY = 'storage';

export interface StorageSettings {
  /** Trashed originals are purged this many days after their deletion; 0 keeps them. */
  retentionDays: number;
  /** Copies on a volume untouched this many days are clean-up candidates. */
  idleDays: number;
  /** Price per GB-month (10^9 bytes), in the currency the admin thinks in; null: not priced. */
  prices: { lake: number | null; derived: number | null; volumes: Record<string, number | null> };
  currency: string;
}

export const DEFAULT_STORAGE_SETTINGS: StorageSettings = {
  retentionDays: 30,
  idleDays: 14,
  prices: { lake: null, derived: null, volumes: {} },
  currency: 'USD',
};

export async function readStorageSettings(settings: SettingsRepository): Promise<StorageSettings> {
  const saved = await settings.get(STORAGE_SETTINGS_KEY);
  if (!saved) return DEFAULT_STORAGE_SETTINGS;
  const value = JSON.parse(saved) as Partial<StorageSettings>;
  return {
    ...DEFAULT_STORAGE_SETTINGS,
    ...value,
    prices: { ...DEFAULT_STORAGE_SETTINGS.prices, ...value.prices },
  };
}

/** Checks every number: days whole and within ten years, prices finite and not negative. */
export function checkStorageSettings(input: StorageSettings): StorageSettings {
  const days = (value: number, field: string) => {
    if (!Number.isInteger(value) || value < 0 || value > 3650)
      throw new Invalid(`${field} must be a whole number of days from 0 to 3650.`, { field });
    return value;
  };
  const price = (value: number | null, field: string) => {
    if (value === null) return null;
    if (!Number.isFinite(value) || value < 0 || value > 1_000_000)
      throw new Invalid(`${field} must be a price from 0 to 1,000,000 per GB-month, or empty.`, { field });
    return value;
  };
  const currency = input.currency.trim();
  if (!/^[A-Za-z]{3}$/.test(currency))
    throw new Invalid('currency must be a three-letter code such as EUR.', { field: 'currency' });
  const volumes: Record<string, number | null> = {};
  for (const [id, value] of Object.entries(input.prices.volumes))
    volumes[id] = price(value, `prices.volumes.${id}`);
  return {
    retentionDays: days(input.retentionDays, 'retentionDays'),
    idleDays: days(input.idleDays, 'idleDays'),
    prices: {
      lake: price(input.prices.lake, 'prices.lake'),
      derived: price(input.prices.derived, 'prices.derived'),
      volumes,
    },
    currency: currency.toUpperCase(),
  };
}

/** Monthly cost of `bytes` at `price` per GB-month, rounded to cents; null when not priced. */
export function monthlyCost(bytes: number, price: number | null): number | null {
  if (price === null) return null;
  return Math.round((bytes / 1e9) * price * 100) / 100;
}
