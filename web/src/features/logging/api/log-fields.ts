import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';

export type LogField = ResponseOf<'/api/log-fields', 'get'>['items'][number];

export const logFieldKeys = { all: ['log-fields'] as const };

/** The deployment's custom logging fields; few and rarely changed. */
export function useLogFields() {
  return useQuery({
    queryKey: logFieldKeys.all,
    queryFn: ({ signal }) => api('get', '/api/log-fields', { signal }),
    staleTime: 60_000,
    select: (data) => data.items,
  });
}
