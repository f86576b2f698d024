/** The renderer's entry: connect through whichever door is present, then render the app. */
import { Component, StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api';
import { DatabaseWaitsProvider } from './components/database-wait';
import { App } from './app';
import { tellShellTheChoice } from './color-scheme';
import { connect } from './transport';
import './styles.css';

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="fatal" role="alert">
          <h1>Something went wrong</h1>
          <pre>{this.state.error.message}</pre>
          <button onClick={() => this.setState({ error: null })}>Try again</button>
        </div>
      );
    }
    return this.props.children;
  }
}

const root = createRoot(document.getElementById('root')!);
tellShellTheChoice();
connect().then(
  (client) =>
    root.render(
      <StrictMode>
        <ErrorBoundary>
          <ClientProvider client={client}>
            <DatabaseWaitsProvider>
              <App />
            </DatabaseWaitsProvider>
          </ClientProvider>
        </ErrorBoundary>
      </StrictMode>,
    ),
  (e: unknown) => {
    // The printed link pasted into this tab changes only the fragment: the page is loaded again
    // with it (it was read once, and the tab stayed on this message until reloaded by hand).
    window.addEventListener('hashchange', () => window.location.reload());
    root.render(
      <div className="fatal" role="alert">
        <h1>Aisle</h1>
        <p>{(e as Error).message}</p>
      </div>,
    );
  },
);
