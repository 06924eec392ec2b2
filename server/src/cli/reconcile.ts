import type { Config } from '../config.js';
import { createDailies } from '../wiring.js';

export async function runReconcile(config: Config): Promise<number> {
  const dailies = await createDailies(config, { processRole: 'reconcile' });
  try {
    const report = await dailies.indexing.reconcile();
    console.log(JSON.stringify(report));
    return 0;
  } finally {
    await dailies.close();
  }
}
