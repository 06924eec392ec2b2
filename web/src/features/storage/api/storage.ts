import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf, type ResponseOf } from '../../../lib/api-client';

export type StorageOverview = ResponseOf<'/api/storage', 'get'>;
export type StorageGrowth = ResponseOf<'/api/storage/growth', 'get'>;
export type Duplicates = ResponseOf<'/api/storage/duplicates', 'get'>;
export type CleanupLists = ResponseOf<'/api/storage/cleanup', 'get'>;
export type StorageSettings = ResponseOf<'/api/storage/settings', 'get'>;
export type CleanupRequest = BodyOf<'/api/storage/cleanup', 'post'>;

export const storageKeys = {
  all: ['storage'] as const,
  overview: (folder: string) => ['storage', 'overview', folder] as const,
  growth: ['storage', 'growth'] as const,
  duplicates: ['storage', 'duplicates'] as const,
  cleanup: ['storage', 'cleanup'] as const,
  retention: ['storage', 'retention'] as const,
  settings: ['storage', 'settings'] as const,
};

export function overviewQuery(folder: string) {
  return queryOptions({
    queryKey: storageKeys.overview(folder),
    queryFn: ({ signal }) => api('get', '/api/storage', { query: { folder }, signal }),
    placeholderData: (previous) => previous,
  });
}

export const useStorageOverview = (folder: string) => useQuery(overviewQuery(folder));

export const useStorageGrowth = () =>
  useQuery({
    queryKey: storageKeys.growth,
    queryFn: ({ signal }) => api('get', '/api/storage/growth', { query: { days: 90 }, signal }),
  });

export const useDuplicates = (enabled: boolean) =>
  useQuery({
    queryKey: storageKeys.duplicates,
    queryFn: ({ signal }) => api('get', '/api/storage/duplicates', { query: { limit: 200 }, signal }),
    enabled,
  });

export const useCleanupLists = (enabled: boolean) =>
  useQuery({
    queryKey: storageKeys.cleanup,
    queryFn: ({ signal }) => api('get', '/api/storage/cleanup', { signal }),
    enabled,
  });

/** When the trash's originals will be purged (the trash page shows it ahead). */
export const useRetention = () =>
  useQuery({
    queryKey: storageKeys.retention,
    queryFn: ({ signal }) => api('get', '/api/storage/retention', { signal }),
  });

export const useStorageSettings = (enabled: boolean) =>
  useQuery({
    queryKey: storageKeys.settings,
    queryFn: ({ signal }) => api('get', '/api/storage/settings', { signal }),
    enabled,
  });

function useInvalidating<T, R>(mutationFn: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: storageKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['trash'] });
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
    },
  });
}

export const useResolveDuplicates = () =>
  useInvalidating((groups: Array<{ keep: string; trash: string[] }>) =>
    api('post', '/api/storage/duplicates/resolve', { body: { groups } }),
  );

export const useCleanupAction = () =>
  useInvalidating((body: CleanupRequest) => api('post', '/api/storage/cleanup', { body }));

export const useSaveStorageSettings = () =>
  useInvalidating((body: StorageSettings) => api('put', '/api/storage/settings', { body }));
