import { useState } from 'react';
import { api, must } from '../../api/client';
import type { FactoryEvent } from '../../api/events';
import { LineChart } from '../../components/chart';
import { Empty, Loading, Problem, Section } from '../../components/common';
import { useLoad } from '../../data';
import { useEvents } from '../../live';
import { GateActions } from './approvals';
import { MetricCharts, Verdicts } from './metrics';
import { aboutUpgrade, finalPhases, type Rollout } from './types';
import { weightHistory, type WeightPoint } from './weights';

/** The rollouts of this upgrade (one per service, newest first), each live. */
export function Rollouts({ upgradeId }: { upgradeId: string }) {
  const list = useLoad(() => must(api.GET('/api/v1/rollouts', { params: { query: { upgrade: upgradeId } } })), [upgradeId], aboutUpgrade(upgradeId, ['rollout.updated', 'upgrade.transitioned']));
  return (
    <Section title="Rollout">
      <Problem error={list.error} />
      {!list.data && !list.error && <Loading what="rollouts" />}
      {list.data && list.data.items.length === 0 && <Empty>No rollout started yet: one starts when the upgrade leaves compat (<code>uf rollout start</code>).</Empty>}
      {list.data?.items.map((r) => <RolloutDetail key={r.id} id={r.id} />)}
    </Section>
  );
}

function RolloutDetail({ id }: { id: string }) {
  const forThis = (e: FactoryEvent) => e.type === 'rollout.updated' && e.rolloutId === id;
  const rollout = useLoad(() => must(api.GET('/api/v1/rollouts/{id}', { params: { path: { id } } })), [id], forThis);
  // Weights the stream announced while this page is open: points the decisions may not carry yet.
  const [live, setLive] = useState<WeightPoint[]>([]);
  useEvents(forThis, (e) => {
    if (e.type === 'rollout.updated' && e.at && e.weights) setLive((points) => [...points, { at: e.at!, canary: e.weights!.canary, baseline: e.weights!.baseline }]);
  });
  if (!rollout.data) return rollout.error ? <Problem error={rollout.error} /> : <Loading what={`rollout ${id}`} />;
  return <RolloutBody rollout={rollout.data} live={live} error={rollout.error} reload={rollout.reload} />;
}

function RolloutBody({ rollout: r, live, error, reload }: { rollout: Rollout; live: WeightPoint[]; error: Error | undefined; reload: () => void }) {
  const s = r.state;
  const final = finalPhases.includes(s.phase);
  const history = weightHistory(r, live);
  const t0 = history[0] ? Date.parse(history[0].at) : Date.parse(r.createdAt);
  const xLabel = (x: number) => new Date(t0 + x).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  // Baseline first so the canary line is drawn over it where they share a weight.
  const series = [
    ...(s.baseline ? [{ name: 'baseline', tone: 'baseline' as const, points: stepped(history.map((p) => ({ x: Date.parse(p.at) - t0, y: p.baseline }))) }] : []),
    { name: 'canary', tone: 'canary' as const, points: stepped(history.map((p) => ({ x: Date.parse(p.at) - t0, y: p.canary }))) },
  ];
  return (
    <article className="rollout" aria-labelledby={`r-${r.id}`}>
      <h3 id={`r-${r.id}`}>
        {r.service} <span className="small muted">rollout {r.id}, attempt {s.attempt}</span>
      </h3>
      <Problem error={error} />
      <dl className="facts">
        <div><dt>Canary weight</dt><dd><strong className="big" data-testid="rollout-weight">{s.weights.canary}%</strong>{s.baseline && <span className="small muted"> baseline {s.weights.baseline}%</span>}{!s.weightsConfirmed && !final && <span className="small muted"> (router not confirmed yet)</span>}</dd></div>
        <div><dt>Phase</dt><dd><span className={`badge ${phaseTone(s.phase)}`}>{s.phase}</span>{s.pauseReason && <span className="small"> {s.pauseReason}</span>}</dd></div>
        <div><dt>Started by</dt><dd>{s.initiator} <span className="small muted">(may not approve its gates)</span></dd></div>
        <div><dt>Updated</dt><dd><time dateTime={r.updatedAt}>{new Date(r.updatedAt).toLocaleTimeString()}</time></dd></div>
      </dl>
      <Steps rollout={r} />
      {!final && <GateActions rollout={r} onDone={reload} />}
      <LineChart title="Canary weight over time (%)" series={series} unit="%" xLabel={xLabel} height={140} />
      <p className="small muted">From the engine's recorded decisions{live.length > 0 ? ', and the live updates since this page opened' : ''}.</p>
      <MetricCharts rollout={r} />
      <Verdicts rollout={r} />
    </article>
  );
}

function Steps({ rollout: r }: { rollout: Rollout }) {
  const s = r.state;
  const final = finalPhases.includes(s.phase);
  return (
    <ol className="steps" aria-label="Steps">
      {s.steps.map((step, i) => {
        const where = i < s.step || (s.phase === 'done' && i <= s.step) ? 'past' : i === s.step && !final ? 'current' : i === s.step ? 'stopped' : 'future';
        return (
          <li key={i} className={`step ${where}`} aria-current={where === 'current' ? 'step' : undefined}>
            <strong>{step.weight}%</strong>
            <span className="small">
              {step.gate.kind === 'approval' ? `approval${step.gate.role ? ` by ${step.gate.role}` : ''}` : 'auto'} · {step.analysis.name}
            </span>
            <span className="small muted">
              {where === 'current' ? `now: ${s.phase}${s.stepPassed ? ', analysis passed' : ''}` : where === 'past' ? 'passed' : where === 'stopped' ? `stopped here (${s.phase})` : `min ${Math.round(step.minDurationMs / 1000)} s`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** Weight changes are steps, not slopes: hold each value until the next change. */
function stepped(points: { x: number; y: number }[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.y !== p.y) out.push({ x: p.x, y: last.y });
    out.push(p);
  }
  return out;
}

function phaseTone(phase: string): string {
  if (phase === 'done') return 'good';
  if (phase === 'rolled-back' || phase === 'aborted') return 'bad';
  if (phase === 'paused' || phase === 'awaiting-approval' || phase === 'awaiting-window') return 'warn';
  return 'live';
}
