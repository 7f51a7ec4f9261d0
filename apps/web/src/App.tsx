import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiFailure, type Me, session } from './api';
import { DetailView } from './Detail';
import { MyTasks, useInbox } from './Inbox';
import { type Kind, LaunchPage } from './Launch';
import { OrganisationPage, OrganisationsList } from './Organisations';
import { ProjectPage, ProjectsList } from './Projects';
import { Overview } from './Overview';

export type LiveEvent = { workflowId: string; seq: number };
export type LiveState = 'connecting' | 'live' | 'offline';

function useRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** One EventSource for the whole page; every progress event bumps `seq` so views can refetch. */
function useLive(enabled: boolean): { event: LiveEvent | null; state: LiveState } {
  const [event, setEvent] = useState<LiveEvent | null>(null);
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled) return;
    let seq = 0;
    const source = new EventSource(api.streamUrl());
    source.addEventListener('ready', () => setState('live'));
    source.addEventListener('open', () => setState('live'));
    source.addEventListener('error', () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'));
    source.addEventListener('progress', (e) => {
      try {
        const { workflowId } = JSON.parse((e as MessageEvent<string>).data) as { workflowId: string };
        seq += 1;
        setEvent({ workflowId, seq });
      } catch { /* a malformed event is ignored */ }
    });
    // After the server lost and regained its LISTEN connection, everything is read afresh.
    source.addEventListener('resync', () => {
      seq += 1;
      setEvent({ workflowId: '*', seq });
    });
    return () => source.close();
  }, [enabled]);
  return { event, state };
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api.me(token.trim());
      session.set(token.trim());
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? 'That token is not valid or has been revoked.' : String((err as Error).message));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="signin">
      <h1>Fuusio</h1>
      <p className="muted">Progress of mergers, onboardings and projects.</p>
      <form onSubmit={submit} className="card">
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)}
          aria-describedby={error ? 'token-error' : undefined} aria-invalid={!!error} />
        {error && <p id="token-error" className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy || !token.trim()}>Sign in</button>
        <p className="muted small">The token is kept in this browser tab only (session storage).</p>
      </form>
    </main>
  );
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => !!session.get());
  const route = useRoute();
  const live = useLive(!!me);
  const inbox = useInbox(me ?? { name: '', role: 'auditor', organisation: null }, live.event);

  useEffect(() => {
    if (!session.get()) return;
    api.me().then(setMe, () => session.clear()).finally(() => setChecking(false));
  }, []);

  const signOut = useCallback(() => {
    session.clear();
    setMe(null);
    window.location.hash = '';
  }, []);

  if (checking) return <main className="signin"><p>Signing in…</p></main>;
  if (!me) return <SignIn onSignedIn={setMe} />;

  const detail = /^#\/w\/(.+)$/.exec(route);
  const organisation = /^#\/organisations\/(.+)$/.exec(route);
  const organisations = route === '#/organisations';
  const project = /^#\/projects\/(.+)$/.exec(route);
  const projects = route === '#/projects';
  const launch = /^#\/launch(?:\/(onboarding|shareholding-merger|consolidation|project))?$/.exec(route);
  const tasksRoute = route === '#/tasks';
  // Managers and admins who are a person land on "My tasks"; everyone else on the overview.
  const landsOnTasks = !!me.person && (me.role === 'manager' || me.role === 'admin') && (route === '' || route === '#' || route === '#/');
  const tasks = tasksRoute || landsOnTasks;
  const overview = !tasks && !detail && !organisation && !organisations && !launch && !project && !projects;
  const taskCount = inbox.items ? `${inbox.items.length}${inbox.more ? '+' : ''}` : '…';
  return (
    <>
      <header className="top">
        <a href="#/" className="brand">Fuusio</a>
        <nav aria-label="Main">
          {me.person && <a href="#/tasks" aria-current={tasks ? 'page' : undefined}>My tasks <span className="count" data-testid="task-count" aria-label={`${taskCount} tasks`}>{taskCount}</span></a>}
          <a href={me.person ? '#/overview' : '#/'} aria-current={overview ? 'page' : undefined}>Overview</a>
          <a href="#/organisations" aria-current={organisations || organisation ? 'page' : undefined}>Organisations</a>
          <a href="#/projects" aria-current={projects || project ? 'page' : undefined}>Projects</a>
          {me.role === 'admin' && <a href="#/launch" aria-current={launch ? 'page' : undefined}>Launch</a>}
        </nav>
        <span className={`live live-${live.state}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />{live.state === 'live' ? 'Live' : live.state === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
        <span className="who">{me.name} · <strong>{me.role}</strong>{me.organisation ? ` · ${me.organisation}` : ''}</span>
        <button type="button" className="link" onClick={signOut}>Sign out</button>
      </header>
      {tasks
        ? <MyTasks me={me} inbox={inbox} />
        : detail?.[1]
        ? <DetailView id={decodeURIComponent(detail[1])} me={me} live={live.event} />
        : organisation?.[1]
          ? <OrganisationPage businessId={decodeURIComponent(organisation[1])} live={live.event} />
          : organisations
            ? <OrganisationsList />
            : project?.[1]
              ? <ProjectPage projectKey={decodeURIComponent(project[1])} />
              : projects
                ? <ProjectsList />
                : launch
                  ? <LaunchPage me={me} kind={(launch[1] ?? 'onboarding') as Kind} />
                  : <Overview live={live.event} />}
    </>
  );
}
