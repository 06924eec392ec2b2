/**
 * Logging fields: what the set says about each asset (camera, reel, scene, take, circled,
 * rating, description) plus the fields an admin defines for the deployment. Part of the
 * catalog (`Catalog.logs`).
 */

/** The slate codes: stored trimmed, NFC and upper case, so `12a` and `12A` are one scene. */
export const LOG_CODES = ['camera', 'reel', 'scene', 'take'] as const;
export type LogCode = (typeof LOG_CODES)[number];

/** Codes the media can tell (file names, QuickTime/MXF metadata); the others only a person. */
export const AUTOMATIC_FIELDS = ['camera', 'reel'] as const;
export type AutomaticField = (typeof AUTOMATIC_FIELDS)[number];

/** Where an automatic field's value came from; `person` is never overwritten by the media. */
export type LogSource = 'person' | 'name' | 'metadata';

/** What a log holds, as a person sees it. */
export interface LogValues {
  camera: string | null;
  reel: string | null;
  scene: string | null;
  take: string | null;
  circled: boolean;
  /** 0..5 stars, or null when nobody rated it. */
  rating: number | null;
  description: string | null;
  /** Custom field (id in the catalog, key in the API) → value. */
  custom: Record<string, string | number>;
}

/** The log of an asset nobody logged; a new one each time, as callers fill in `custom`. */
export function emptyLogValues(): LogValues {
  return {
    camera: null,
    reel: null,
    scene: null,
    take: null,
    circled: false,
    rating: null,
    description: null,
    custom: {},
  };
}

export interface AssetLog extends LogValues {
  assetId: string;
  cameraSource: LogSource | null;
  reelSource: LogSource | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

/** A person's edit: each field present is set (null clears it); custom values by field id. */
export type LogPatch = Partial<Omit<LogValues, 'custom'>> & {
  custom?: Record<string, string | number | null>;
};

export type CustomFieldKind = 'text' | 'number' | 'choice';

export interface CustomLogField {
  id: string;
  /** Stable name in the API and in searches (`lens:35mm`); never changes. */
  key: string;
  label: string;
  kind: CustomFieldKind;
  /** The allowed values of a `choice` field, in the order the menu shows them. */
  choices: string[];
  position: number;
  createdAt: number;
}

export interface AssetLogRepository {
  /** The logs of these assets that have one (an asset nobody logged has no row). */
  get(assetIds: string[]): Promise<Map<string, AssetLog>>;
  /** A person's edit, the same on every asset; camera and reel become the person's. */
  write(assetIds: string[], patch: LogPatch, by: string, now: number): Promise<void>;
  /** What the media says: set only where no person typed the field. */
  fillAutomatic(
    assetId: string,
    values: Partial<Record<AutomaticField, { value: string; source: Exclude<LogSource, 'person'> }>>,
    now: number,
  ): Promise<void>;
  /** Logs and custom values of assets deleted for good. */
  forget(assetIds: string[]): Promise<void>;
  fields(): Promise<CustomLogField[]>;
  /** Conflict (unique key) is the caller's to check first; the database refuses a twin anyway. */
  addField(field: CustomLogField): Promise<void>;
  updateField(
    id: string,
    patch: Partial<Pick<CustomLogField, 'label' | 'choices' | 'position'>>,
  ): Promise<void>;
  /** The field and every value of it. */
  deleteField(id: string): Promise<void>;
}
