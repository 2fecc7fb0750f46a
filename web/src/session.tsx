import { createContext, useCallback, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, must, setApiToken, type Ok, type Role } from './api/client';

export type WhoAmI = Ok<'/api/v1/whoami'>;

interface Session {
  who: WhoAmI;
  role: Role;
  /** Whether the signed-in role may take an action; the server still checks every call. */
  can: (...roles: Role[]) => boolean;
  token: string;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);
const storageKey = 'uf.token';

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** Holds the token for this tab (sessionStorage: gone when the tab closes) and who it is. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | undefined>(() => sessionStorage.getItem(storageKey) ?? undefined);
  const [who, setWho] = useState<WhoAmI | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  const signOut = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setApiToken(undefined);
    setToken(undefined);
    setWho(undefined);
  }, []);

  useEffect(() => {
    if (!token) return;
    setApiToken(token, () => {
      setProblem('the server no longer accepts this token (expired, revoked or rotated): sign in again');
      signOut();
    });
    let cancelled = false;
    must(api.GET('/api/v1/whoami'))
      .then((w) => {
        if (cancelled) return;
        sessionStorage.setItem(storageKey, token);
        setWho(w);
        setProblem(undefined);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setProblem(error instanceof ApiError ? `${error.message}` : `cannot reach the server: ${(error as Error).message}`);
        signOut();
      });
    return () => {
      cancelled = true;
    };
  }, [token, signOut]);

  const session = useMemo<Session | undefined>(
    () => (who && token ? { who, role: who.token.role, can: (...roles) => roles.includes(who.token.role), token, signOut } : undefined),
    [who, token, signOut],
  );
  if (!session) return <SignIn problem={problem} busy={token !== undefined} onToken={setToken} />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function SignIn({ problem, busy, onToken }: { problem: string | undefined; busy: boolean; onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return (
    <main className="signin">
      <h1>Upgrade Factory</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" disabled={busy || value.trim() === ''}>
          Sign in
        </button>
        <p id="signin-help" className="muted">
          A token from <code>uf token create --role ROLE</code> (or the ones <code>uf demo</code> prints). It stays in this tab only.
        </p>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}
