import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf, type ResponseOf } from '../../../lib/api-client';

export type NotesList = ResponseOf<'/api/assets/{id}/notes', 'get'>;
export type AssetNote = NotesList['notes'][number];
export type NoteInput = BodyOf<'/api/assets/{id}/notes', 'post'>;
export type NoteChange = BodyOf<'/api/notes/{noteId}', 'patch'>;

/** Under `assets`, so a reload of everything (events missed) reads them again too. */
export const noteKeys = {
  of: (assetId: string) => ['assets', 'notes', assetId] as const,
};

export function getNotes(assetId: string, signal?: AbortSignal) {
  return api('get', '/api/assets/{id}/notes', { params: { id: assetId }, signal });
}

/** An asset's notes and how it counts frames; live events mark them stale. */
export function useNotes(assetId: string, enabled = true) {
  return useQuery({
    queryKey: noteKeys.of(assetId),
    queryFn: ({ signal }) => getNotes(assetId, signal),
    enabled,
  });
}

export function useNoteActions(assetId: string) {
  const queryClient = useQueryClient();
  const reload = () => queryClient.invalidateQueries({ queryKey: noteKeys.of(assetId) });
  const add = useMutation({
    mutationFn: (input: NoteInput) =>
      api('post', '/api/assets/{id}/notes', { params: { id: assetId }, body: input }),
    onSuccess: reload,
  });
  const change = useMutation({
    mutationFn: ({ id, ...body }: NoteChange & { id: string }) =>
      api('patch', '/api/notes/{noteId}', { params: { noteId: id }, body }),
    onSuccess: reload,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('delete', '/api/notes/{noteId}', { params: { noteId: id } }),
    onSuccess: reload,
  });
  return { add, change, remove };
}
