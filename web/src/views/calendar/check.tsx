import { useId, useState, type FormEvent } from 'react';
import { api, must, type Ok } from '../../api/client';
import { Problem, When } from '../../components/common';

type Verdict = Ok<'/api/v1/windows/services/{service}'>;

/** Asks the server whether a service may change at an instant, as the rollout engine does before each promotion. */
export function ServiceCheck({ services }: { services: string[] }) {
  const serviceId = useId();
  const atId = useId();
  const [service, setService] = useState('');
  const [at, setAt] = useState('');
  const [verdict, setVerdict] = useState<Verdict | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = service || services[0];
    if (!name) return;
    setBusy(true);
    setError(undefined);
    try {
      // datetime-local is the viewer's wall time; the server wants an instant.
      const query = at ? { at: new Date(at).toISOString() } : {};
      setVerdict(await must(api.GET('/api/v1/windows/services/{service}', { params: { path: { service: name }, query } })));
    } catch (e) {
      setVerdict(undefined);
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  if (services.length === 0) return <p className="empty">No services in the catalog yet (uf catalog import adds the service map), so there is nothing to check.</p>;
  return (
    <>
      <form className="filters" onSubmit={(e) => void submit(e)} aria-label="May a service change">
        <label htmlFor={serviceId}>
          Service
          <select id={serviceId} value={service || services[0]} onChange={(e) => setService(e.target.value)}>
            {services.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label htmlFor={atId}>
          At (your time; empty: now)
          <input id={atId} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Check
        </button>
      </form>
      <Problem error={error} />
      {verdict && (
        <div role="status" className="verdict">
          <p>
            <span className={`badge ${verdict.open ? 'good' : 'bad'}`}>{verdict.open ? 'open' : 'closed'}</span> <strong>{verdict.service}</strong> at <When at={verdict.at} />: {verdict.reason}
          </p>
          {verdict.hits.length > 0 && (
            <ul className="small">
              {verdict.hits.map((h) => (
                <li key={`${h.kind}-${h.name}`}>
                  {h.kind} {h.name}: <When at={h.from} /> – <When at={h.until} />
                  {h.reason ? ` (${h.reason})` : ''}
                </li>
              ))}
            </ul>
          )}
          {verdict.closesAt && (
            <p className="small">
              Closes <When at={verdict.closesAt} />
            </p>
          )}
          {verdict.nextOpenAt && (
            <p className="small">
              Next opens <When at={verdict.nextOpenAt} />
            </p>
          )}
        </div>
      )}
    </>
  );
}
