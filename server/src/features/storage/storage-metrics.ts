import { Gauge, type Registry } from 'prom-client';
import type { StorageService } from './storage.service.js';

/** Prometheus gauges read from the kept sums at each scrape (cheap: no asset is read). */
export function registerStorageGauges(registry: Registry, storage: StorageService): void {
  const bytes = new Gauge({
    name: 'dailies_storage_bytes',
    help: 'Bytes by part (asset: originals by kind, derived: by derivative kind, volume: copies by volume id), live or trashed',
    labelNames: ['part', 'label', 'trashed'],
    registers: [registry],
    // The first gauge of a scrape fills both.
    async collect() {
      bytes.reset();
      assets.reset();
      for (const total of await storage.totals()) {
        const labels = { part: total.part, label: total.label, trashed: String(total.trashed) };
        bytes.set(labels, total.bytes);
        assets.set(labels, total.assets);
      }
    },
  });
  const assets = new Gauge({
    name: 'dailies_storage_objects',
    help: 'Objects counted as dailies_storage_bytes is',
    labelNames: ['part', 'label', 'trashed'],
    registers: [registry],
  });
}
