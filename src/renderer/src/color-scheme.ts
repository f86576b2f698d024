/** The OS's light or dark preference (Electron passes it to the page), for what CSS cannot colour: the charts' canvases. */
import { useSyncExternalStore } from 'react';
import type { ColorScheme } from './components/chart-colors';

const DARK = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function current(): ColorScheme {
  return window.matchMedia(DARK).matches ? 'dark' : 'light';
}

/** The scheme now; a component using it renders again when the preference changes. */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, current);
}
