import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const adminKeys = {
  users: ['admin', 'users'] as const,
  groups: ['admin', 'groups'] as const,
  audit: (filter: object) => ['admin', 'audit', filter] as const,
};

export function listUsers(signal?: AbortSignal) {
  return api('get', '/api/users', { signal }).then((r) => r.items);
}

export type User = Awaited<ReturnType<typeof listUsers>>[number];

export function useUsers() {
  return useQuery({ queryKey: adminKeys.users, queryFn: ({ signal }) => listUsers(signal) });
}
