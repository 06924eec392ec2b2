import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  SEARCH_PARAMS,
  searchStateFromUrl,
  toSearchQuery,
} from '../src/features/search/search-state';

describe('search state in the URL', () => {
  it('reads filters and dates from the URL and counts them', () => {
    const state = searchStateFromUrl(
      new URLSearchParams('q=%20day%20&format=MOV,MXF&kind=&createdFrom=2026-01-01&other=1'),
    );
    expect(state).toEqual({ q: ' day ', filters: { format: ['MOV', 'MXF'] }, dates: { createdFrom: '2026-01-01' } });
    expect(activeFilterCount(state)).toBe(2);
    expect(SEARCH_PARAMS).toContain('q');
    expect(SEARCH_PARAMS).not.toContain('other');
  });

  it('turns buckets into the server ranges, whose upper ends are inclusive', () => {
    const query = toSearchQuery(searchStateFromUrl(new URLSearchParams('q=a&duration=1-10m&size=>10GB')));
    expect(query).toEqual({ q: 'a', durationMin: 60, durationMax: 599.999, sizeMin: 10_000_000_000 });
    expect(toSearchQuery(searchStateFromUrl(new URLSearchParams('size=<100MB')))).toEqual({
      sizeMin: 0,
      sizeMax: 99_999_999,
    });
  });

  it('drops an unknown bucket and blank text rather than sending them', () => {
    expect(toSearchQuery(searchStateFromUrl(new URLSearchParams('q=%20%20&duration=forever')))).toEqual({});
  });
});
