import type { Ok } from '../../api/client';
import { Empty, When } from '../../components/common';

type EndOfLife = Ok<'/api/v1/inventory/end-of-life'>;

/** Versions in use past or near their end of support, as the last intake run found them. */
export function EndOfLifeList({ data }: { data: EndOfLife }) {
  if (data.sources === 0) return <Empty>End-of-support dates are not recorded yet: no endoflife.date file is configured under <code>intake.endOfLife</code> in factory.yaml.</Empty>;
  if (data.checkedAt === null) return <Empty>End-of-support dates are configured but intake has not run yet (<code>uf intake run</code>).</Empty>;
  return (
    <>
      <p className="muted small">
        Versions past their end of support or within {data.horizonDays} days of it, as of the intake run of <When at={data.checkedAt} />.
      </p>
      {data.items.length === 0 ? (
        <Empty>No version in use is past or near its end of support.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="estate-table">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Version (cycle)</th>
                <th scope="col">End of support</th>
                <th scope="col">Services</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((f) => (
                <tr key={`${f.component} ${f.version}`}>
                  <th scope="row">{f.component}</th>
                  <td>{f.version} <span className="muted small">({f.cycle})</span></td>
                  <td>
                    {f.eol}{' '}
                    <span className={`badge ${f.status === 'past' ? 'bad' : 'warn'}`}>{f.daysLeft < 0 ? `${-f.daysLeft} days past` : `in ${f.daysLeft} days`}</span>
                  </td>
                  <td>{f.services.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
