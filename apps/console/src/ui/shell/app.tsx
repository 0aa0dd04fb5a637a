import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  apiFor,
  forgetKey,
  probeScope,
  type Scope,
  type Session,
  SessionContext,
  storedKey,
  storeKey,
} from '../api';
import { Link, match, useLocation } from '../router';
import { AdminPage } from '../admin';
import { RunPage, RunsPage } from '../runs';
import { SchedulesPage } from '../schedules';
import { SystemPage } from '../system';
import { WorkflowsPage } from '../workflows';
import { ErrorBoundary } from '../common';
import { SignIn } from './sign-in';

const NAV = [
  ['/runs', 'Runs'],
  ['/workflows', 'Workflows'],
  ['/schedules', 'Schedules'],
  ['/system', 'System'],
  ['/admin', 'Admin'],
] as const;

function Screen({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if ((params = match('/runs/:id', path))) return <RunPage key={params.id} runId={params.id!} />;
  if ((params = match('/workflows/:name', path))) return <WorkflowsPage name={params.name} />;
  if (match('/workflows', path)) return <WorkflowsPage />;
  if (match('/schedules', path)) return <SchedulesPage />;
  if (match('/system', path)) return <SystemPage />;
  if (match('/admin', path)) return <AdminPage />;
  return <RunsPage />;
}

type Theme = 'light' | 'dark';
const THEME_KEY = 'spark.console.theme';

export function App() {
  const client = useMemo(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
    [],
  );
  const [session, setSession] = useState<{ key: string; scope: Scope } | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [error, setError] = useState<unknown>(null);
  const [theme, setTheme] = useState<Theme>(
    () =>
      (sessionStorage.getItem(THEME_KEY) as Theme | null) ??
      (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'),
  );
  const { path } = useLocation();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    sessionStorage.setItem(THEME_KEY, theme);
  }, [theme]);

  const signIn = useCallback(async (key: string) => {
    setError(null);
    try {
      const scope = await probeScope(apiFor(key));
      storeKey(key);
      setSession({ key, scope });
    } catch (failure) {
      forgetKey();
      setSession(null);
      setError(failure);
    }
  }, []);

  useEffect(() => {
    const key = storedKey();
    if (key) void signIn(key).finally(() => setChecking(false));
  }, [signIn]);

  const value = useMemo<Session | null>(
    () =>
      session
        ? {
            api: apiFor(session.key),
            scope: session.scope,
            signOut: () => {
              forgetKey();
              client.clear();
              setSession(null);
            },
          }
        : null,
    [session, client],
  );

  if (checking) return <p className="muted pad">Checking the API key…</p>;
  if (!value) return <SignIn onSignIn={signIn} error={error} />;
  const section = '/' + (path.split('/')[1] || 'runs');
  return (
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={value}>
        <a href="#main" className="skip">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand">⚡ Spark</span>
          <nav aria-label="Screens">
            {NAV.map(([to, label]) => (
              <Link key={to} to={to} aria-current={section === to ? 'page' : undefined}>
                {label}
              </Link>
            ))}
          </nav>
          <span className="grow" />
          <span className="scope" data-scope={value.scope} title="What this API key may do">
            {value.scope}
          </span>
          <button
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button onClick={value.signOut}>Sign out</button>
        </header>
        <main id="main">
          <ErrorBoundary key={path}>
            <Screen path={path} />
          </ErrorBoundary>
        </main>
      </SessionContext.Provider>
    </QueryClientProvider>
  );
}
