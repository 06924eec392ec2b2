import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';
import { settingsKey } from './get-settings';

export type SettingsUpdate = BodyOf<'/api/settings', 'put'>;

/** Checked by the server before saving; applied at once. */
export function saveSettings(body: SettingsUpdate) {
  return api('put', '/api/settings', { body });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveSettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      // Another lake changes every list, and volumes are offered elsewhere (Copy to volume).
      void queryClient.invalidateQueries({
        predicate: (query) => query.queryKey.join('/') !== settingsKey.join('/'),
      });
    },
  });
}
