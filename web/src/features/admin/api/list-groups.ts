import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { adminKeys } from './list-users';

export function listGroups(signal?: AbortSignal) {
  return api('get', '/api/groups', { signal }).then((r) => r.items);
}

export type Group = Awaited<ReturnType<typeof listGroups>>[number];

/** Every group (admins only: others get none). */
export function useGroups(enabled = true) {
  return useQuery({ queryKey: adminKeys.groups, queryFn: ({ signal }) => listGroups(signal), enabled });
}
