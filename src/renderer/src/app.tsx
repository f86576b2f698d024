/** The window: a sidebar of screens and the screen the route names, which takes focus on arrival. */
import { Fragment, useEffect, useRef, useState } from 'react';
import type { Connection } from '../../shared/client';
import { plural } from '../../shared/text';
import { useCall, useClient } from './api';
import { chooseTheme, useThemeChoice, type ThemeChoice } from './color-scheme';
import { ConnectionLostAt } from './components/elapsed';
import { useFocusOnScreenChange } from './focus';
import { resumeOffPolicyEvaluation } from './off-policy-evaluation';
import { href, useRoute } from './router';
import { ExperimentsScreen } from './screens/experiments';
import { NewExperimentScreen } from './screens/new-experiment';
import { RunsScreen } from './screens/runs';
import { RunDetailScreen } from './screens/run-detail';
import { CompareScreen } from './screens/compare';
import { QTablesScreen } from './screens/qtables';
import { PoliciesScreen } from './screens/policies';
import { OffPolicyScreen } from './screens/off-policy';

const NAV = [
  ['experiments', 'Experiments'],
  ['runs', 'Runs'],
  ['compare', 'Compare'],
  ['qtables', 'Q-tables'],
  ['policies', 'Policies'],
  ['off-policy', 'Off-policy'],
] as const;

/** How long a browser tab waits to hear its event stream is open before it shows its screen anyway. */
const FIRST_STATE_MS = 4000;

/**
 * The connection's state, and how many times it came back after dropping (the browser mode's
 * server stopped, or was started again and its new link opened): screens keyed by that count mount
 * anew, so what they show is fetched again rather than left as it was when the connection dropped.
 * `ready`: whether the screen may fetch. A browser tab's events flow only once its stream is open
 * (or its tab holding the stream says it is): a screen that fetched before that missed whatever
 * changed in between (an experiment launched by another tab or by `aisle run` at that moment never
 * appeared), so it waits for the first state it hears (a few ms), or FIRST_STATE_MS at most: then
 * the bar says live updates are not coming, and a stream that opens later counts as a return.
 * Electron's IPC is up from the start.
 */
function useConnection(): { state: Connection; returns: number; lostAt: number | null; ready: boolean } {
  const client = useClient();
  const [connection, setConnection] = useState(() => ({
    state: 'up' as Connection,
    returns: 0,
    lostAt: null as number | null,
    heard: client.door === 'electron',
    ready: client.door === 'electron',
  }));
  useEffect(() => {
    // Nothing heard by then (a proxy that holds the stream back, a tab holding it that hangs): the
    // screen shows, and the bar says live updates are not coming, until the stream opens.
    const wait = setTimeout(() => setConnection((c) => (c.ready ? c : { ...c, ready: true, heard: true, state: 'down', lostAt: Date.now() })), FIRST_STATE_MS);
    const stop = client.onConnection((now) =>
      setConnection((c) => {
        const lostAt = now === 'up' ? null : (c.lostAt ?? Date.now());
        if (!c.heard) return { state: now, returns: c.returns, lostAt, heard: true, ready: true };
        return now === c.state ? c : { ...c, state: now, returns: now === 'up' ? c.returns + 1 : c.returns, lostAt };
      }),
    );
    return () => {
      clearTimeout(wait);
      stop();
    };
  }, [client]);
  return connection;
}

/**
 * Whether a path names a screen's address: one part, or a run's number after runs, or new after
 * experiments. A longer path (#/experiments/12, as if experiments had pages of their own) is an
 * unknown page, not the list it starts with.
 */
function pathFits(parts: readonly string[]): boolean {
  return parts.length <= 1 || (parts.length === 2 && (parts[0] === 'runs' || (parts[0] === 'experiments' && parts[1] === 'new')));
}

/** A screen's name for the document title ("Run 12", "New experiment"); undefined for an unknown page. */
export function screenTitle(parts: readonly string[]): string | undefined {
  if (!pathFits(parts)) return undefined;
  const [screen = 'experiments', param] = parts;
  if (screen === 'experiments' && param === 'new') return 'New experiment';
  if (screen === 'runs' && param) return `Run ${param}`;
  return NAV.find(([key]) => key === screen)?.[1];
}

/** System (the OS's scheme, the default), Light or Dark: applied at once and kept (color-scheme.ts). */
function ThemeSelect() {
  const choice = useThemeChoice();
  return (
    <label className="theme-choice">
      Theme
      <select value={choice} onChange={(e) => chooseTheme(e.target.value as ThemeChoice)} data-testid="theme">
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

export function App() {
  const route = useRoute();
  const client = useClient();
  const info = useCall('app.info', {});
  const connection = useConnection();
  // An Off-policy evaluation a reload interrupted is followed again at once, on whatever screen the
  // page opens (Aisle stops one no page follows after 30 s), once events flow so no progress is missed.
  useEffect(() => {
    if (connection.ready) resumeOffPolicyEvaluation(client);
  }, [connection.ready, client]);
  const refreshInfo = info.refresh;
  useEffect(() => {
    if (connection.returns > 0) refreshInfo();
  }, [connection.returns, refreshInfo]);
  const [screen = 'experiments', param] = route.parts;
  // The screen is the path: a query (filters, selections, a chart's smoothing) changes the view
  // within it, and focus stays where the user is.
  const main = useRef<HTMLElement>(null);
  useFocusOnScreenChange(route.parts.length > 0 ? route.parts.join('/') : 'experiments', main);
  const holdsInput = (screen === 'experiments' && param === 'new') || screen === 'off-policy';
  // The window's and tab's title names the screen (and the run), for tabs, history and window lists.
  const title = screenTitle(route.parts);
  useEffect(() => {
    document.title = title ? `${title} · Aisle` : 'Aisle';
  }, [title]);
  let body;
  if (pathFits(route.parts)) {
    if (screen === 'experiments' && param === 'new') body = <NewExperimentScreen query={route.query} />;
    else if (screen === 'experiments') body = <ExperimentsScreen query={route.query} />;
    else if (screen === 'runs' && param) body = <RunDetailScreen address={param} query={route.query} />;
    else if (screen === 'runs') body = <RunsScreen query={route.query} />;
    else if (screen === 'compare') body = <CompareScreen query={route.query} />;
    else if (screen === 'qtables') body = <QTablesScreen query={route.query} />;
    else if (screen === 'policies') body = <PoliciesScreen query={route.query} />;
    else if (screen === 'off-policy') body = <OffPolicyScreen />;
  }
  body ??= (
    // No heading to land on: the message itself takes focus, so a screen reader reads it.
    <p className="error" tabIndex={-1} data-arrival-focus data-testid="unknown-page">
      Unknown page “{route.parts.join('/')}”. Open a screen from the sidebar.
    </p>
  );
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">Aisle</div>
        {NAV.map(([key, label]) => (
          <a key={key} href={href(key)} className={screen === key ? 'active' : undefined} aria-current={screen === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
        <div className="sidebar-foot">
          <ThemeSelect />
          <div title={info.data?.dbPath} data-testid="app-info">
            {info.data ? `v${info.data.version} · ${info.data.door === 'electron' ? 'desktop' : 'browser mode'} · ${plural(info.data.workers, 'worker')}` : ''}
          </div>
        </div>
      </nav>
      <main ref={main} className="content">
        {connection.state === 'refused' && (
          <p className="connection-lost" role="alert" data-testid="connection-lost">
            Aisle was restarted: open the new link it printed. This page’s link is from before the restart, so the new Aisle refuses it; what you see may be
            out of date.
          </p>
        )}
        {connection.state === 'misaddressed' && (
          <p className="connection-lost" role="alert" data-testid="connection-lost">
            Aisle does not answer at this page’s address ({window.location.host}): open it at the link it printed. Through an SSH tunnel, forward its port to the
            same number here (ssh -L N:127.0.0.1:N, N the port in the link); live updates are off until then.
          </p>
        )}
        {connection.state === 'down' && (
          <p className="connection-lost" role="alert" data-testid="connection-lost">
            Lost the connection to Aisle: live updates have stopped and what you see may be out of date. Reconnecting…
            {client.door === 'browser' ? ' If Aisle was stopped, start it again and open the new link it prints.' : ''}
          </p>
        )}
        {/* Screens that show what is stored fetch it again once the connection is back; a form being filled (New experiment, Off-policy) keeps its state. */}
        {/* Running runs' clocks stop while it is lost (elapsed.tsx). */}
        <ConnectionLostAt.Provider value={connection.lostAt}>
          {connection.ready && <Fragment key={holdsInput ? 0 : connection.returns}>{body}</Fragment>}
        </ConnectionLostAt.Provider>
      </main>
    </div>
  );
}
