import { useMemo, useState } from 'react';
import { api, must } from '../api/client';
import { allPages } from '../api/pages';
import { Loading, Problem, Section } from '../components/common';
import { useLoad } from '../data';
import { ServiceCheck } from './calendar/check';
import { ConflictList } from './calendar/conflicts';
import { Grid } from './calendar/grid';
import { addDays, daysOf, overlaps, weekStart, type Span } from './calendar/range';
import { Rules } from './calendar/rules';
import './calendar/calendar.css';

const rangeTitle = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** Change windows, freezes, planned changes and their conflicts, a week or two at a time. */
export default function Calendar() {
  const [start, setStart] = useState(() => weekStart(new Date()));
  const [span, setSpan] = useState<Span>(7);
  const days = useMemo(() => daysOf(start, span), [start, span]);
  const end = addDays(start, span);
  const range = { from: start.toISOString(), to: end.toISOString() };

  const listing = useLoad(() => must(api.GET('/api/v1/windows')), []);
  const occurrences = useLoad(() => must(api.GET('/api/v1/windows/occurrences', { params: { query: range } })), [range.from, range.to]);
  const changes = useLoad(() => must(api.GET('/api/v1/changes', { params: { query: range } })).then((r) => r.items), [range.from, range.to], (e) => e.type === 'change.updated');
  const conflicts = useLoad(() => must(api.GET('/api/v1/windows/conflicts', { params: { query: range } })), [range.from, range.to], (e) => e.type === 'change.updated' || e.type === 'rollout.updated');
  const upgrades = useLoad(() => allPages((cursor) => must(api.GET('/api/v1/upgrades', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))), [], (e) => e.type === 'intake.completed');
  const services = useLoad(() => allPages((cursor) => must(api.GET('/api/v1/services', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))), [], (e) => e.type === 'import.completed');

  const names = useMemo(() => new Map((upgrades.data ?? []).map((u) => [u.id, u.name])), [upgrades.data]);
  // Conflicts name their parties `change:ID` and `rollout:ID`.
  const inConflict = useMemo(() => new Set((conflicts.data?.conflicts ?? []).flatMap((c) => c.changes)), [conflicts.data]);
  const running = (conflicts.data?.changes ?? []).filter((c) => c.source === 'rollout');
  const hasWindows = (listing.data?.windows.length ?? 0) + (listing.data?.blackouts.length ?? 0) > 0;
  const blackouts = (listing.data?.blackouts ?? []).filter((b) => overlaps(new Date(b.from), new Date(b.to), start, end));
  const planned = changes.data ?? [];
  const move = (n: number) => setStart((s) => addDays(s, n));

  return (
    <>
      <h1>Change calendar</h1>
      <nav className="cal-nav" aria-label="Calendar range">
        <div className="cal-buttons">
          <button type="button" onClick={() => move(-span)}>
            ← Previous<span className="sr-only"> {span === 7 ? 'week' : 'two weeks'}</span>
          </button>
          <button type="button" onClick={() => setStart(weekStart(new Date()))}>
            Today
          </button>
          <button type="button" onClick={() => move(span)}>
            Next<span className="sr-only"> {span === 7 ? 'week' : 'two weeks'}</span> →
          </button>
        </div>
        <h2 aria-live="polite">
          {rangeTitle.format(start)} – {rangeTitle.format(addDays(end, -1))}
        </h2>
        <label>
          Show{' '}
          <select value={span} onChange={(e) => setSpan(Number(e.target.value) as Span)}>
            <option value={7}>one week</option>
            <option value={14}>two weeks</option>
          </select>
        </label>
      </nav>
      <p className="small muted cal-legend">
        <span className="key allow">allow window</span> <span className="key deny">deny window</span> <span className="key blackout">blackout / freeze</span> <span className="key change">planned change or running rollout</span> Times are
        yours; a window written in another zone also shows its own.
      </p>
      <Problem error={listing.error ?? occurrences.error ?? changes.error ?? conflicts.error} />
      {changes.loading && !changes.data ? (
        <Loading what="the calendar" />
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {planned.length === 0
              ? 'No change record is planned in this range (change records are opened when an upgrade enters compat, with its planned start and end).'
              : `${planned.length} change record(s) planned in this range, ${inConflict.size ? `${planned.filter((c) => inConflict.has(`change:${c.id}`)).length} in conflict` : 'none in conflict'}.`}
          </p>
          <Grid days={days} occurrences={occurrences.data?.items ?? []} blackouts={blackouts} changes={planned} running={running} inConflict={inConflict} names={names} hasWindows={hasWindows} />
        </>
      )}
      <Section title="Conflicts in this range">{conflicts.data ? <ConflictList conflicts={conflicts.data} /> : <Loading what="conflicts" />}</Section>
      <Section title="Windows and freezes">{listing.data ? <Rules listing={listing.data} /> : <Loading what="the windows" />}</Section>
      <Section title="May a service change?">
        <Problem error={services.error} />
        {services.data ? <ServiceCheck services={services.data.map((s) => s.name)} /> : <Loading what="services" />}
      </Section>
    </>
  );
}
