import { Gauge, type Registry } from 'prom-client';
import type { IncomingWrites } from '../../lib/incoming-writes.js';

/** What an operator watching a busy server wants to see of its uploads. */
export function registerUploadGauges(registry: Registry, incoming: IncomingWrites): void {
  new Gauge({
    name: 'dailies_upload_patches_receiving',
    help: 'Upload PATCHes whose bytes are arriving on this server; while any are, big asset pages rest between turns',
    registers: [registry],
    collect() {
      this.set(incoming.count);
    },
  });
}
