import type { Migration } from 'kysely';
import * as lakeCatalog from './2026-11-26T0000-lake-catalog.js';
import * as identity from './2026-11-27T0000-identity.js';
import * as search from './2026-11-27T0100-search.js';
import * as assetLocations from './2026-11-28T0000-asset-locations.js';
import * as processing from './2026-11-28T0100-processing.js';
import * as assetsLiveCount from './2026-11-28T0200-assets-live-count.js';
import * as searchPrefixes from './2026-11-29T0000-search-prefixes.js';
import * as searchRows from './2026-11-29T0100-search-rows.js';
import * as settingsChangedBy from './2026-11-29T0200-settings-changed-by.js';
import * as searchFacetIndex from './2026-11-29T0300-search-facet-index.js';
import * as lakeIntents from './2026-12-02T0100-lake-intents.js';
import * as accountSecurity from './2026-12-02T1900-account-security.js';
import * as assetLocationsPath from './2026-12-02T1900-asset-locations-path.js';
import * as nameKeys from './2026-12-02T1900-name-keys.js';
import * as storageSums from './2026-12-03T0500-storage-sums.js';
import * as displayGeometry from './2026-12-03T0830-display-geometry.js';
import * as loggingFields from './2026-12-03T0830-logging-fields.js';
import * as assetNotes from './2026-12-03T0835-asset-notes.js';
import * as assetStartTimecode from './2026-12-03T0840-asset-start-timecode.js';
import * as contentFormat from './2026-12-03T0845-content-format.js';
import * as sequences from './2026-12-03T0850-sequences.js';
import * as folderLooks from './2026-12-03T0900-folder-looks.js';
import * as jobLanes from './2026-12-03T0905-job-lanes.js';
import * as storageTriggersLean from './2026-12-03T0910-storage-triggers-lean.js';
import * as storageCleanupSizes from './2026-12-03T0925-storage-cleanup-sizes.js';
import * as mhl from './2026-12-03T0950-mhl.js';
import * as locationFrames from './2026-12-03T1150-location-frames.js';
import * as searchDescriptions from './2026-12-03T1210-search-descriptions.js';

/** Every migration, by its dated name. A static list works the same from source and from dist. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0000-lake-catalog': lakeCatalog,
  '2026-11-27T0000-identity': identity,
  '2026-11-27T0100-search': search,
  '2026-11-28T0000-asset-locations': assetLocations,
  '2026-11-28T0100-processing': processing,
  '2026-11-28T0200-assets-live-count': assetsLiveCount,
  '2026-11-29T0000-search-prefixes': searchPrefixes,
  '2026-11-29T0100-search-rows': searchRows,
  '2026-11-29T0200-settings-changed-by': settingsChangedBy,
  '2026-11-29T0300-search-facet-index': searchFacetIndex,
  '2026-12-02T0100-lake-intents': lakeIntents,
  '2026-12-02T1900-asset-locations-path': assetLocationsPath,
  '2026-12-02T1900-account-security': accountSecurity,
  '2026-12-02T1900-name-keys': nameKeys,
  '2026-12-03T0500-storage-sums': storageSums,
  '2026-12-03T0830-logging-fields': loggingFields,
  '2026-12-03T0910-storage-triggers-lean': storageTriggersLean,
  '2026-12-03T0925-storage-cleanup-sizes': storageCleanupSizes,
  '2026-12-03T0835-asset-notes': assetNotes,
  '2026-12-03T0950-mhl': mhl,
  '2026-12-03T0830-display-geometry': displayGeometry,
  '2026-12-03T0845-content-format': contentFormat,
  '2026-12-03T0905-job-lanes': jobLanes,
  '2026-12-03T0840-asset-start-timecode': assetStartTimecode,
  '2026-12-03T0850-sequences': sequences,
  '2026-12-03T0900-folder-looks': folderLooks,
  '2026-12-03T1210-search-descriptions': searchDescriptions,
  '2026-12-03T1150-location-frames': locationFrames,
};
