import { useEffect, useState } from 'react';

/** Hash routes (#/upgrades/ID): the server serves one page at `/`, and links work without it knowing them. */
export type Route =
  | { view: 'board' }
  | { view: 'upgrade'; id: string }
  | { view: 'approvals' }
  | { view: 'calendar' }
  | { view: 'estate' }
  | { view: 'readouts'; upgradeId?: string; period?: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'upgrades':
      return parts[1] ? { view: 'upgrade', id: parts[1] } : { view: 'board' };
    case 'approvals':
      return { view: 'approvals' };
    case 'calendar':
      return { view: 'calendar' };
    case 'estate':
      return { view: 'estate' };
    case 'readouts':
      return { view: 'readouts', ...(params.get('upgrade') ? { upgradeId: params.get('upgrade')! } : {}), ...(params.get('period') ? { period: params.get('period')! } : {}) };
    default:
      return { view: 'board' };
  }
}

export function href(route: Route): string {
  switch (route.view) {
    case 'board':
      return '#/';
    case 'upgrade':
      return `#/upgrades/${encodeURIComponent(route.id)}`;
    case 'readouts': {
      const params = new URLSearchParams();
      if (route.upgradeId) params.set('upgrade', route.upgradeId);
      if (route.period) params.set('period', route.period);
      const query = params.toString();
      return `#/readouts${query ? `?${query}` : ''}`;
    }
    default:
      return `#/${route.view}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
