import { type FormEvent, Fragment, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HashRouter, Link, NavLink, Navigate, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { AccessibilityStatement } from './Accessibility';
import { api, ApiFailure, type Me, session } from './api';
import { DetailView } from './Detail';
import { apiErrorText } from './errors';
import { LanguageSwitch } from './LanguageSwitch';
import { MyTasks, useInbox } from './Inbox';
import { type Kind, LaunchPage } from './Launch';
import { OrganisationPage, OrganisationsList } from './Organisations';
import { ProjectPage, ProjectsList } from './Projects';
import { RegistryDiffPage } from './RegistryDiff';
import { Overview } from './Overview';
import { PortfolioPage } from './Portfolio';

export type LiveEvent = { workflowId: string; seq: number };
export type LiveState = 'connecting' | 'live' | 'offline';

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

/**
 * After a route change, focus goes to the page's main heading, so a screen reader announces the new
 * page and the keyboard starts from it. Pages load their data first, so the heading is waited for.
 */
function useFocusHeadingOnRouteChange(): void {
  const { pathname } = useLocation();
  // The path last seen: the first render and re-renders on the same page leave the focus alone.
  const seen = useRef(pathname);
  useEffect(() => {
    if (seen.current === pathname) return;
    seen.current = pathname;
    let tries = 0;
    const timer = setInterval(() => {
      const h1 = document.querySelector<HTMLElement>('main h1');
      if (h1 || ++tries > 60) {
        clearInterval(timer);
        if (h1) {
          h1.tabIndex = -1;
          h1.focus();
        }
      }
    }, 50);
    return () => clearInterval(timer);
  }, [pathname]);
}

function focusMain(e: { preventDefault: () => void }) {
  // The hash belongs to the router, so the skip link moves focus itself instead of following "#main".
  e.preventDefault();
  const target = document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main');
  if (target) {
    target.tabIndex = -1;
    target.focus();
  }
}

/** The frame of every page: skip link, header, main landmark and the footer with the accessibility statement. */
function Frame({ header, children }: { header: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  useFocusHeadingOnRouteChange();
  return (
    <>
      <a href="#main" className="skip" onClick={focusMain}>{t('app.skip')}</a>
      <header className="top">{header}</header>
      <main id="main" tabIndex={-1}>{children}</main>
      <footer className="foot">
        <nav aria-label={t('footer.label')}>
          <span>{t('footer.product')}</span> · <Link to="/accessibility">{t('footer.accessibility')}</Link>
        </nav>
      </footer>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useTranslation();
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
      setError(err instanceof ApiFailure && err.status === 401 ? t('signIn.invalid') : apiErrorText(err, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="signin">
      <h1>Fuusio</h1>
      <p className="muted">{t('app.tagline')}</p>
      <form onSubmit={submit} className="card">
        <label htmlFor="token">{t('signIn.token')}</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)}
          aria-describedby={error ? 'token-error' : undefined} aria-invalid={!!error} />
        {error && <p id="token-error" className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy || !token.trim()}>{t('signIn.submit')}</button>
        <p className="muted small">{t('signIn.kept')}</p>
      </form>
    </div>
  );
}

function Brand() {
  return <Link to="/" className="brand">Fuusio</Link>;
}

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'active' : undefined);

function Dashboard({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const { t } = useTranslation();
  const live = useLive(true);
  const inbox = useInbox(me, live.event);
  const { pathname } = useLocation();
  // Managers and admins who are a person land on "My tasks"; everyone else on the overview.
  const landsOnTasks = !!me.person && (me.role === 'manager' || me.role === 'admin');
  const onOverview = pathname === '/overview' || (pathname === '/' && !landsOnTasks);
  const taskCount = inbox.items ? `${inbox.items.length}${inbox.more ? '+' : ''}` : '…';
  const header = (
    <>
      <Brand />
      <nav aria-label={t('nav.main')}>
        {me.person && (
          <Link to="/tasks" aria-current={pathname === '/tasks' || (pathname === '/' && landsOnTasks) ? 'page' : undefined}>
            {t('nav.tasks')} <span className="count" data-testid="task-count" aria-hidden="true">{taskCount}</span>
            <span className="visually-hidden">{t('nav.taskCount', { n: taskCount })}</span>
          </Link>
        )}
        <Link to={me.person ? '/overview' : '/'} aria-current={onOverview ? 'page' : undefined}>{t('nav.overview')}</Link>
        <NavLink to="/organisations" className={navClass}>{t('nav.organisations')}</NavLink>
        <NavLink to="/projects" className={navClass}>{t('nav.projects')}</NavLink>
        <NavLink to="/portfolio" className={navClass}>{t('nav.portfolio')}</NavLink>
        <NavLink to="/registry-changes" className={navClass}>{t('registryDiff.nav')}</NavLink>
        {me.role === 'admin' && <NavLink to="/launch" className={navClass}>{t('nav.launch')}</NavLink>}
      </nav>
      <span className={`live live-${live.state}`} role="status" aria-live="polite">
        <span className="dot" aria-hidden="true" />{t(`live.${live.state}`)}
      </span>
      <span className="who"><span className="visually-hidden">{t('nav.signedInAs')} </span>{me.name} · <strong>{t(`role.${me.role}`)}</strong>{me.organisation ? ` · ${me.organisation}` : ''}</span>
      <LanguageSwitch />
      <button type="button" className="link" onClick={onSignOut}>{t('nav.signOut')}</button>
    </>
  );
  return (
    <Frame header={header}>
      <Routes>
        <Route index element={landsOnTasks ? <MyTasks me={me} inbox={inbox} /> : <Overview live={live.event} />} />
        <Route path="tasks" element={<MyTasks me={me} inbox={inbox} />} />
        <Route path="overview" element={<Overview live={live.event} />} />
        <Route path="w/:id" element={<WithParam name="id" render={(id) => <DetailView id={id} me={me} live={live.event} />} />} />
        <Route path="organisations" element={<OrganisationsList />} />
        <Route path="organisations/:businessId" element={<WithParam name="businessId" render={(id) => <OrganisationPage businessId={id} live={live.event} />} />} />
        <Route path="projects" element={<ProjectsList />} />
        <Route path="projects/:key" element={<WithParam name="key" render={(key) => <ProjectPage projectKey={key} />} />} />
        <Route path="portfolio" element={<PortfolioPage live={live.event} />} />
        <Route path="launch" element={<LaunchPage me={me} kind="onboarding" />} />
        <Route path="launch/:kind" element={<WithParam name="kind" render={(kind) => (isKind(kind) ? <LaunchPage me={me} kind={kind} /> : <Navigate to="/launch" replace />)} />} />
        <Route path="registry-changes" element={<RegistryDiffPage />} />
        <Route path="accessibility" element={<AccessibilityStatement />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Frame>
  );
}

const KINDS: readonly Kind[] = ['onboarding', 'shareholding-merger', 'consolidation', 'project'];
const isKind = (k: string): k is Kind => (KINDS as readonly string[]).includes(k);

/** A route's parameter (react-router has decoded it); `key` remounts the page when it changes. */
function WithParam({ name, render }: { name: string; render: (value: string) => ReactNode }) {
  const value = useParams()[name] ?? '';
  return <Fragment key={value}>{render(value)}</Fragment>;
}

function Signed() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => !!session.get());

  useEffect(() => {
    if (!session.get()) return;
    api.me().then(setMe, () => session.clear()).finally(() => setChecking(false));
  }, []);

  const signOut = useCallback(() => {
    session.clear();
    setMe(null);
    navigate('/');
  }, [navigate]);

  if (checking) return <div className="signin" role="status"><p>{t('app.signingIn')}</p></div>;
  if (!me) {
    // The accessibility statement is open to everyone; every other page asks for a token first.
    return (
      <Frame header={<><Brand /><LanguageSwitch /></>}>
        {pathname === '/accessibility' ? <AccessibilityStatement /> : <SignIn onSignedIn={setMe} />}
      </Frame>
    );
  }
  return <Dashboard me={me} onSignOut={signOut} />;
}

/**
 * The API serves the built files at `/` without an index fallback for other paths, so the routes live
 * in the hash (#/w/…): a deep link or a reload always loads index.html and lands on the same page.
 */
export function App() {
  return (
    <HashRouter>
      <Signed />
    </HashRouter>
  );
}
