import { Bars } from '../../components/chart';
import { Empty, Section } from '../../components/common';
import type { Risk } from './types';

/** Every factor of the latest assessment: what it measured, how much it weighs, what it added. */
export function RiskBreakdown({ risk }: { risk: Risk | null }) {
  if (!risk) {
    return (
      <Section title="Risk">
        <Empty>Not scored yet: intake scores an upgrade when it triages it.</Empty>
      </Section>
    );
  }
  const factors = [...risk.factors].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const contributing = factors.filter((f) => f.contribution !== 0);
  return (
    <Section title="Risk">
      <p>
        <strong>{risk.score}</strong>/100 · SSVC <strong>{risk.decision}</strong> · {risk.changeClass} change{' '}
        <span className="muted small">(assessed <time dateTime={risk.assessedAt}>{new Date(risk.assessedAt).toLocaleString()}</time>)</span>
      </p>
      <p className="small">{risk.decisionReason}</p>
      <p className="small">{risk.changeClassReason}</p>
      {contributing.length > 0 ? (
        <Bars title="Contribution to the score, by factor" rows={contributing.map((f) => ({ label: `${f.name} (${f.group})`, value: f.contribution }))} />
      ) : (
        <Empty>No factor added to the score.</Empty>
      )}
      <div className="table-wrap">
        <table className="factors">
          <caption className="sr-only">Risk factors</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col">Group</th>
              <th scope="col">Value</th>
              <th scope="col" className="num">Weight</th>
              <th scope="col" className="num">Contribution</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {factors.map((f) => (
              <tr key={f.name}>
                <th scope="row">{f.name}</th>
                <td data-label="group">{f.group}</td>
                <td data-label="value">{String(f.value)}</td>
                <td className="num" data-label="weight">{f.weight}</td>
                <td className="num" data-label="adds">{f.contribution > 0 ? '+' : ''}{round(f.contribution)}</td>
                <td className="small">{f.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
