import type { VolumeConfig } from '../../config.js';
import { seal, unseal } from '../../lib/sealing.js';
import type { SecretInput } from '../../lib/server-secret.js';
import type { SettingsRepository } from '../../ports/catalog.js';
import type { DeploymentSettings, LakeSettings } from '../../ports/settings.js';

/** Keys of the settings table the settings page writes. */
export const LAKE_KEY = 'lake';
export const VOLUMES_KEY = 'volumes';

/** The settings in effect, and which of them were saved on the settings page (the rest come from the config). */
export interface EffectiveSettings extends DeploymentSettings {
  saved: { lake: boolean; volumes: boolean };
  updatedAt: number | null;
  updatedBy: string | null;
}

/** Saved settings over the file and environment: one object, read at start and after each save. */
export async function readEffectiveSettings(
  repository: SettingsRepository,
  base: DeploymentSettings,
  serverSecret: SecretInput,
): Promise<EffectiveSettings> {
  const entries = await repository.entries([LAKE_KEY, VOLUMES_KEY]);
  const lakeEntry = entries.find((e) => e.key === LAKE_KEY);
  const volumesEntry = entries.find((e) => e.key === VOLUMES_KEY);
  const latest = entries.reduce<(typeof entries)[number] | null>(
    (a, b) => (a && a.updatedAt >= b.updatedAt ? a : b),
    null,
  );
  return {
    lake: lakeEntry ? openLake(JSON.parse(lakeEntry.value), serverSecret) : base.lake,
    volumes: volumesEntry ? (JSON.parse(volumesEntry.value) as VolumeConfig[]) : base.volumes,
    saved: { lake: Boolean(lakeEntry), volumes: Boolean(volumesEntry) },
    updatedAt: latest?.updatedAt ?? null,
    updatedBy: latest?.updatedBy ?? null,
  };
}

/** The lake as stored: the secret key sealed with the server secret. */
export function sealLake(lake: LakeSettings, serverSecret: SecretInput): string {
  if (lake.kind === 'fs' || !lake.secretAccessKey) return JSON.stringify(lake);
  const { secretAccessKey, ...rest } = lake;
  return JSON.stringify({ ...rest, sealedSecret: seal(secretAccessKey, serverSecret) });
}

function openLake(stored: LakeSettings & { sealedSecret?: string }, serverSecret: SecretInput): LakeSettings {
  if (stored.kind === 'fs') return { kind: 'fs', path: stored.path };
  const { sealedSecret, ...rest } = stored;
  // Sealed with another server secret: the lake answers "access denied", which names the cause.
  const secretAccessKey = sealedSecret ? (unseal(sealedSecret, serverSecret) ?? undefined) : undefined;
  return { ...rest, secretAccessKey };
}
