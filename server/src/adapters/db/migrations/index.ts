import type { Migration } from 'kysely';
import * as lakeCatalog from './2026-11-26T0000-lake-catalog.js';
import * as processing from './2026-11-27T0000-processing.js';

/** Every migration, by its dated name. A static list works the same from source and from dist. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0000-lake-catalog': lakeCatalog,
  '2026-11-27T0000-processing': processing,
};
