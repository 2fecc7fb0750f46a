import { useState } from 'react';
import { api, must, type Ok } from '../../api/client';
import { Loading, Problem } from '../../components/common';
import { useLoad } from '../../data';
import { DoraCharts } from './charts';
import { number } from './format';
import { lastMonths, lastQuarters } from './periods';
import type { DoraPoint } from './types';

type Report = Ok<'/api/v1/dora'>;
type Bucket = 'month' | 'quarter';

/**
 * DORA's five metrics over time: the route answers one period at a time, so the trend is one call
 * per bucket (the last six months, or the last four quarters), each drawn as a point.
 */
export function DoraTrends() {
  const [bucket, setBucket] = useState<Bucket>('month');
  const periods = bucket === 'month' ? lastMonths(new Date(), 6) : lastQuarters(new Date(), 4);
  const reports = useLoad(
    () => Promise.all(periods.map((period) => must(api.GET('/api/v1/dora', { params: { query: { period } } })))),
    [bucket],
    (e) => e.type === 'upgrade.transitioned' || e.type === 'rollout.updated',
  );
  const points = (reports.data ?? []).map(pointOf);
  return (
    <>
      <form className="filters" aria-label="DORA trend buckets" onSubmit={(e) => e.preventDefault()}>
        <label>
          Buckets
          <select value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)}>
            <option value="month">the last 6 months</option>
            <option value="quarter">the last 4 quarters</option>
          </select>
        </label>
      </form>
      <Problem error={reports.error} />
      {reports.loading && !reports.data && <Loading what="DORA metrics" />}
      {reports.data && (
        <>
          <DoraCharts points={points} />
          <DoraTable reports={reports.data} />
        </>
      )}
    </>
  );
}

function pointOf(r: Report): DoraPoint {
  const defined = <K extends string>(key: K, value: number | null) => (value === null ? {} : ({ [key]: value } as Record<K, number>));
  return {
    label: r.period.label,
    deploymentsPerWeek: r.deploymentFrequency.perWeek,
    ...defined('leadTimeHours', r.changeLeadTime.medianHours),
    ...defined('changeFailRate', r.changeFailRate.value),
    ...defined('recoveryHours', r.failedDeploymentRecoveryTime.medianHours),
    ...defined('reworkRate', r.deploymentReworkRate.value),
  };
}

/** The figures behind the charts, with their numerators and denominators. */
function DoraTable({ reports }: { reports: Report[] }) {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${number(v * 100)}%`);
  const hours = (v: number | null) => (v === null ? 'n/a' : `${number(v)} h`);
  return (
    <details>
      <summary>The figures as a table</summary>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Deployments (per week)</th>
              <th scope="col">Lead time (median)</th>
              <th scope="col">Change fail rate</th>
              <th scope="col">Recovery time (median)</th>
              <th scope="col">Rework rate</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.period.label}>
                <th scope="row">{r.period.label}</th>
                <td>{r.deploymentFrequency.deployments} ({number(r.deploymentFrequency.perWeek)})</td>
                <td>{hours(r.changeLeadTime.medianHours)}{r.changeLeadTime.headline ? <span className="muted small"> from {r.changeLeadTime.headline}</span> : null}</td>
                <td>{pct(r.changeFailRate.value)} <span className="muted small">{r.changeFailRate.numerator}/{r.changeFailRate.denominator}</span></td>
                <td>{hours(r.failedDeploymentRecoveryTime.medianHours)} <span className="muted small">{r.failedDeploymentRecoveryTime.unrecovered.length} unrecovered</span></td>
                <td>{pct(r.deploymentReworkRate.value)} <span className="muted small">{r.deploymentReworkRate.numerator}/{r.deploymentReworkRate.denominator}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
