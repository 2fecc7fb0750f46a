import type { Ok } from '../../api/client';

export type Listing = Ok<'/api/v1/windows'>;
export type WindowRule = Listing['windows'][number];
export type Blackout = Listing['blackouts'][number];
export type Occurrence = Ok<'/api/v1/windows/occurrences'>['items'][number];
export type Change = Ok<'/api/v1/changes'>['items'][number];
export type Conflicts = Ok<'/api/v1/windows/conflicts'>;
export type Scheduled = Conflicts['changes'][number];
export type Selector = WindowRule['select'];

/** What a window or blackout applies to, in words. */
export function selected(select: Selector): string {
  const parts = [
    ...(select.services.length ? [`services ${select.services.join(', ')}`] : []),
    ...(select.tiers.length ? [`tiers ${select.tiers.join(', ')}`] : []),
    ...(select.tags.length ? [`tags ${select.tags.join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'every service';
}
