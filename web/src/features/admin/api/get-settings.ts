import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';

export type Settings = ResponseOf<'/api/settings', 'get'>;
export type LakeSettings = Settings['lake'];
export type VolumeSettings = Settings['volumes'][number];

export const settingsKey = ['admin', 'settings'] as const;

export function getSettings(signal?: AbortSignal) {
  return api('get', '/api/settings', { signal });
}

/** The lake and edit volumes in effect (admins). */
export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => getSettings(signal) });
}
