import { useMemo, useState } from 'react';
import { api, must } from '../api/client';
import { allPages } from '../api/pages';
import { Empty, Loading, Problem } from '../components/common';
import { useLoad } from '../data';
import { useSession } from '../session';
import { ChangeCard } from './approvals/change-card';
import { RolloutCard } from './approvals/rollout-card';
import { WindowCard } from './approvals/window-card';
import { waitingChanges, waitingRollouts, whoseChange, whoseRollout, type Change, type Me, type Rollout, type Whose } from './approvals/whose';
import './approvals/approvals.css';

/** What waits for a decision: change records awaiting approval and rollouts held at an approval gate, mine first. */
export default function Approvals() {
  const { who, can } = useSession();
  const me: Me = { identity: who.identity, role: who.token.role, teams: who.teams };
  const changes = useLoad(() => must(api.GET('/api/v1/changes')).then((r) => r.items), [], (e) => e.type === 'change.updated');
  const rollouts = useLoad(() => must(api.GET('/api/v1/rollouts', { params: { query: { limit: 500 } } })).then((r) => r.items), [], (e) => e.type === 'rollout.updated');
  const names = useLoad(
    () => allPages((cursor) => must(api.GET('/api/v1/upgrades', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))).then((items) => new Map(items.map((u) => [u.id, u.name]))),
    [],
    (e) => e.type === 'intake.completed',
  );
  const [last, setLast] = useState<string | undefined>();
  const reload = (message: string) => {
    setLast(message);
    changes.reload();
    rollouts.reload();
  };
  // The routes let every writing role in; the server then applies the approval rules and refuses in words.
  const canDecide = can('operator', 'service-owner', 'approver', 'security', 'admin');

  const sorted = useMemo(() => {
    const c = waitingChanges(changes.data ?? []).map((item) => ({ item, whose: whoseChange(item, me) }));
    const r = waitingRollouts(rollouts.data ?? []).map((item) => ({ item, whose: whoseRollout(item, me) }));
    const held = (rollouts.data ?? []).filter((x) => x.state.phase === 'awaiting-window');
    return { changes: c, rollouts: r, held };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [changes.data, rollouts.data, me.identity, me.role]);

  const loading = (changes.loading && !changes.data) || (rollouts.loading && !rollouts.data);
  const mineCount = sorted.changes.filter((c) => c.whose.mine).length + sorted.rollouts.filter((r) => r.whose.mine).length;
  const total = sorted.changes.length + sorted.rollouts.length;
  const canOverride = can('approver', 'admin');
  const cards = (mine: boolean) => (
    <>
      {sorted.rollouts.filter((r) => r.whose.mine === mine).map(({ item, whose }) => <RolloutItem key={item.id} item={item} whose={whose} name={names.data?.get(item.upgradeId)} canDecide={canDecide} onDone={reload} />)}
      {sorted.changes.filter((c) => c.whose.mine === mine).map(({ item, whose }) => <ChangeItem key={item.id} item={item} whose={whose} name={names.data?.get(item.upgradeId)} canDecide={canDecide} onDone={reload} />)}
    </>
  );

  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">
        Signed in as <strong>{who.identity}</strong> ({who.token.role}
        {who.teams.length > 0 ? `; teams ${who.teams.join(', ')}` : ''}). Change records awaiting approval and rollouts held at an approval gate; the list follows the server live.
        {!canDecide && ' Your role only reads: deciding needs a writing role.'}
      </p>
      <Problem error={changes.error ?? rollouts.error} />
      {last && (
        <p role="status" className="done">
          {last}
        </p>
      )}
      {loading && <Loading what="what waits for approval" />}
      {!loading && total === 0 && (
        <Empty>
          Nothing waits for an approval: no change record is awaiting approval and no rollout is held at an approval gate. Change records open when an upgrade enters compat; gates come from the rollout
          steps' <code>gate: approval</code> in factory.yaml.
        </Empty>
      )}
      {!loading && total > 0 && (
        <>
          <section aria-labelledby="for-me" className="inbox">
            <h2 id="for-me">
              Waiting for me <span className="count">{mineCount}</span>
            </h2>
            {mineCount === 0 ? <Empty>Nothing waits for your decision.</Empty> : cards(true)}
          </section>
          <section aria-labelledby="for-others" className="inbox">
            <h2 id="for-others">
              Waiting for others <span className="count">{total - mineCount}</span>
            </h2>
            <p className="muted small">Each says why it is not yours; the server has the last word and says so if you try.</p>
            {total - mineCount === 0 ? <Empty>Nothing.</Empty> : cards(false)}
          </section>
        </>
      )}
      {!loading && sorted.held.length > 0 && (
        <section aria-labelledby="held" className="inbox">
          <h2 id="held">
            Held by a change window <span className="count">{sorted.held.length}</span>
          </h2>
          <p className="muted small">
            These go on by themselves when their window opens. An approver or admin who did not start the rollout may override the window, with a reason.
          </p>
          {sorted.held.map((item) => (
            <WindowCard key={item.id} rollout={item} name={names.data?.get(item.upgradeId)} canOverride={canOverride} onDone={reload} />
          ))}
        </section>
      )}
    </>
  );
}

interface ItemProps<T> {
  item: T;
  whose: Whose;
  name: string | undefined;
  canDecide: boolean;
  onDone: (message: string) => void;
}

const ChangeItem = ({ item, ...rest }: ItemProps<Change>) => <ChangeCard change={item} {...rest} />;
const RolloutItem = ({ item, ...rest }: ItemProps<Rollout>) => <RolloutCard rollout={item} {...rest} />;
