/** The window: a sidebar of screens and the screen the route names, which takes focus on arrival. */
import { useRef } from 'react';
import { plural } from '../../shared/text';
import { useCall } from './api';
import { useFocusOnScreenChange } from './focus';
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

export function App() {
  const route = useRoute();
  const info = useCall('app.info', {});
  const [screen = 'experiments', param] = route.parts;
  // The screen is the path: a query (filters, selections, a chart's smoothing) changes the view
  // within it, and focus stays where the user is.
  const main = useRef<HTMLElement>(null);
  useFocusOnScreenChange(route.parts.length > 0 ? route.parts.join('/') : 'experiments', main);
  let body;
  if (screen === 'experiments' && param === 'new') body = <NewExperimentScreen query={route.query} />;
  else if (screen === 'experiments') body = <ExperimentsScreen />;
  else if (screen === 'runs' && param) body = <RunDetailScreen runId={Number(param)} query={route.query} />;
  else if (screen === 'runs') body = <RunsScreen query={route.query} />;
  else if (screen === 'compare') body = <CompareScreen query={route.query} />;
  else if (screen === 'qtables') body = <QTablesScreen query={route.query} />;
  else if (screen === 'policies') body = <PoliciesScreen query={route.query} />;
  else if (screen === 'off-policy') body = <OffPolicyScreen />;
  else
    body = (
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
        <div className="sidebar-foot" title={info.data?.dbPath}>
          {info.data ? `v${info.data.version} · ${info.data.door === 'electron' ? 'desktop' : 'browser mode'} · ${plural(info.data.workers, 'worker')}` : ''}
        </div>
      </nav>
      <main ref={main} className="content">
        {body}
      </main>
    </div>
  );
}
