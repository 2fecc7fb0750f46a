import { useState } from 'react';
import { api, must } from '../api/client';
import { allPages } from '../api/pages';
import { Empty, Loading, Problem, Section, StateBadge, When } from '../components/common';
import { useLoad } from '../data';
import { href } from '../router';
import { DoraTrends } from './readouts/dora';
import { Downloads } from './readouts/downloads';
import { upgradeTitle } from './readouts/format';
import { PeriodSections } from './readouts/period-sections';
import { lastMonths, lastQuarters } from './readouts/periods';
import type { PeriodReadout, UpgradeReadout } from './readouts/types';
import { StatusLine, UpgradeSections } from './readouts/upgrade-sections';
import './readouts/readouts.css';

/** Executive readouts, per upgrade (`#/readouts?upgrade=ID`) or per period (`#/readouts?period=2026-Q4`), and DORA trends. */
export default function Readouts({ upgradeId, period }: { upgradeId?: string; period?: string }) {
  if (upgradeId) return <UpgradeReadoutPage id={upgradeId} />;
  if (period) return <PeriodReadoutPage period={period} />;
  return <ReadoutIndex />;
}

const back = <a href={href({ view: 'readouts' })}>← All readouts</a>;

function UpgradeReadoutPage({ id }: { id: string }) {
  const readout = useLoad(
    async () => (await must(api.GET('/api/v1/readouts/upgrades/{id}', { params: { path: { id }, query: { format: 'json' } } }))) as UpgradeReadout,
    [id],
    (e) => e.type === 'upgrade.transitioned',
  );
  const r = readout.data?.upgrade.id === id ? readout.data : undefined;
  return (
    <article className="readout">
      <p>{back}</p>
      {!r && <h1>Readout of {id}</h1>}
      <Problem error={readout.error} />
      {!r && !readout.error && <Loading what="the readout" />}
      {r && (
        <>
          <h1>Readout: {upgradeTitle(r)} <span className="muted small">({r.upgrade.id})</span></h1>
          <StatusLine r={r} />
          <p><a href={href({ view: 'upgrade', id })}>The upgrade's page</a></p>
          <Downloads path={`/api/v1/readouts/upgrades/${encodeURIComponent(id)}`} name={`readout-${id}`} />
          <UpgradeSections r={r} level={2} />
        </>
      )}
    </article>
  );
}

function PeriodReadoutPage({ period }: { period: string }) {
  const readout = useLoad(
    async () => (await must(api.GET('/api/v1/readouts/periods/{period}', { params: { path: { period }, query: { format: 'json' } } }))) as PeriodReadout,
    [period],
    (e) => e.type === 'upgrade.transitioned',
  );
  const p = readout.data;
  return (
    <article className="readout">
      <p>{back}</p>
      <h1>Readout: {p?.period.label ?? period}</h1>
      <Problem error={readout.error} />
      {!p && !readout.error && <Loading what="the readout" />}
      {p && (
        <>
          <Downloads path={`/api/v1/readouts/periods/${encodeURIComponent(period)}`} name={`readout-${p.period.label}`} />
          <PeriodSections p={p} />
        </>
      )}
    </article>
  );
}

function ReadoutIndex() {
  const finished = useLoad(
    async () => {
      const page = (state: 'done' | 'rolled_back') => allPages((cursor) => must(api.GET('/api/v1/upgrades', { params: { query: { state, limit: '200', ...(cursor ? { cursor } : {}) } } })));
      const [done, rolledBack] = await Promise.all([page('done'), page('rolled_back')]);
      return [...done, ...rolledBack].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    [],
    (e) => e.type === 'upgrade.transitioned',
  );
  const now = new Date();
  const quarters = lastQuarters(now, 2).reverse();
  const months = lastMonths(now, 3).reverse();
  return (
    <>
      <h1>Readouts</h1>
      <div className="grid">
        <Section title="Upgrades done or rolled back">
          <Problem error={finished.error} />
          {finished.loading && !finished.data && <Loading what="finished upgrades" />}
          {finished.data && finished.data.length === 0 && <Empty>No upgrade is done or rolled back yet: a readout is written once one finishes.</Empty>}
          {finished.data && finished.data.length > 0 && (
            <ul className="plain picker">
              {finished.data.map((u) => (
                <li key={u.id}>
                  <a href={href({ view: 'readouts', upgradeId: u.id })}>
                    {u.name} {u.fromVersions.join(', ')} → {u.targetVersion}
                  </a>{' '}
                  <StateBadge state={u.state} /> <span className="muted small">{u.services.join(', ')} · <When at={u.updatedAt} /></span>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Periods">
          <ul className="plain picker">
            {[...quarters, ...months].map((p, i) => (
              <li key={p}>
                <a href={href({ view: 'readouts', period: p })}>{p}</a> <span className="muted small">{label(i, quarters.length)}</span>
              </li>
            ))}
          </ul>
          <PeriodForm />
        </Section>
      </div>
      <Section title="DORA trends">
        <DoraTrends />
      </Section>
    </>
  );
}

function label(index: number, quarters: number): string {
  if (index === 0) return 'this quarter';
  if (index === 1 && quarters > 1) return 'last quarter';
  if (index === quarters) return 'this month';
  if (index === quarters + 1) return 'last month';
  return '';
}

/** Any other period the route accepts: a quarter, a month, a year or a date range. */
function PeriodForm() {
  const [text, setText] = useState('');
  return (
    <form
      className="filters period-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) location.hash = href({ view: 'readouts', period: text.trim() });
      }}
    >
      <label>
        Another period (2026-Q3, 2026-10, 2026 or 2026-10-01..2026-10-15)
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="2026-Q3" />
      </label>
      <button type="submit">Open</button>
    </form>
  );
}
