import { lazy, Suspense, useEffect, useRef } from 'react';
import { Loading } from './components/common';
import { LiveProvider, useLiveStatus } from './live';
import { href, useRoute, type Route } from './router';
import { useSession } from './session';
import { Board } from './views/board';

// The board is the landing page; the other views load when first opened, keeping the first load small.
const UpgradePage = lazy(() => import('./views/upgrade/page'));
const Approvals = lazy(() => import('./views/approvals'));
const Calendar = lazy(() => import('./views/calendar'));
const Estate = lazy(() => import('./views/estate'));
const Readouts = lazy(() => import('./views/readouts'));

const nav: { label: string; route: Route }[] = [
  { label: 'Pipeline', route: { view: 'board' } },
  { label: 'Approvals', route: { view: 'approvals' } },
  { label: 'Calendar', route: { view: 'calendar' } },
  { label: 'Estate', route: { view: 'estate' } },
  { label: 'Readouts', route: { view: 'readouts' } },
];

export function App() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const route = useRoute();
  const { who, signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  // Moving to another view puts keyboard and screen-reader focus at its start (not on the first
  // load, where the skip link comes first).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [route]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/">Upgrade Factory</a>
        <nav aria-label="Views">
          <ul>
            {nav.map((n) => (
              <li key={n.label}>
                <a href={href(n.route)} aria-current={n.route.view === route.view || (n.route.view === 'board' && route.view === 'upgrade') ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <LiveDot />
          <span className="identity" title={who.identity}>
            {who.token.user ?? `token ${who.token.name}`}
          </span>
          <span className="badge">{who.token.role}</span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading what="the view" />}>
          <View route={route} />
        </Suspense>
      </main>
    </>
  );
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'board':
      return <Board />;
    case 'upgrade':
      return <UpgradePage id={route.id} />;
    case 'approvals':
      return <Approvals />;
    case 'calendar':
      return <Calendar />;
    case 'estate':
      return <Estate />;
    case 'readouts':
      return <Readouts upgradeId={route.upgradeId} period={route.period} />;
  }
}

function LiveDot() {
  const status = useLiveStatus();
  const label = status === 'live' ? 'live: updates arrive as they happen' : status === 'connecting' ? 'connecting to the event stream' : 'event stream lost: reconnecting';
  return <span className={`dot ${status}`} role="status" aria-label={label} title={label} data-testid="live-status" data-status={status} />;
}
