/**
 * The theme: the user's choice (System, Light or Dark, from the sidebar) and the scheme it gives,
 * for the stylesheet (the `data-theme` attribute on <html>, which styles.css reads) and for what
 * CSS cannot colour, the charts' canvases. System follows the OS's preference (Electron passes it
 * to the page). In the desktop app the shell hears the choice too, for what the page cannot colour.
 */
import { useSyncExternalStore } from 'react';
import type { ThemeChoice } from '../../shared/client';
import { CHART_ROLES, type ChartTheme, type ColorScheme } from './components/chart-colors';

export type { ThemeChoice };

/**
 * Where the choice is kept: localStorage, which the browser mode's page and Electron's renderer
 * both have, so it outlives a reload and a restart (in the browser mode, storage belongs to the
 * address's port, which is why `aisle serve` starts on the same preferred port each time: a
 * restart on another port starts at System). public/theme.js reads the same key before the first
 * paint.
 */
const KEY = 'aisle.theme';
const DARK = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

/** The choice as the page shows it: public/theme.js set the attribute from storage on load. */
function currentChoice(): ThemeChoice {
  const theme = document.documentElement.dataset.theme;
  return theme === 'light' || theme === 'dark' ? theme : 'system';
}

/**
 * Tells the desktop shell (its menus, window frame and background, and the next start's first
 * colour); the browser mode has no shell to tell.
 */
function tellShell(choice: ThemeChoice): void {
  window.aisle?.setTheme(choice);
}

/** At start: the shell may remember another choice (this page's storage is where the choice lives). */
export function tellShellTheChoice(): void {
  tellShell(currentChoice());
}

export function chooseTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Storage refused: the choice holds until the page is reloaded.
  }
  tellShell(choice);
  for (const listener of listeners) listener();
}

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  listeners.add(onChange);
  return () => {
    query.removeEventListener('change', onChange);
    listeners.delete(onChange);
  };
}

function currentScheme(): ColorScheme {
  const choice = currentChoice();
  if (choice !== 'system') return choice;
  return window.matchMedia(DARK).matches ? 'dark' : 'light';
}

/** The choice now; the component renders again when it changes. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, currentChoice);
}

/** The scheme in effect now; a component using it renders again when the choice or the OS's preference changes. */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, currentScheme);
}

let chartColors: { readonly scheme: ColorScheme; readonly theme: ChartTheme } | undefined;

/**
 * styles.css's colours for the charts (CHART_ROLES), as the page computes them: a hidden probe
 * takes each variable as its colour. Read once per change of scheme, not per frame; the same
 * object until then, so a chart redraws only when its colours change.
 */
function chartTheme(scheme: ColorScheme): ChartTheme {
  if (chartColors?.scheme !== scheme) {
    const probe = document.createElement('span');
    probe.hidden = true;
    document.body.append(probe);
    const colors = Object.entries(CHART_ROLES).map(([role, variable]) => {
      probe.style.color = `var(${variable})`;
      return [role, getComputedStyle(probe).color];
    });
    probe.remove();
    chartColors = { scheme, theme: Object.fromEntries(colors) as ChartTheme };
  }
  return chartColors.theme;
}

/** The charts' colours in the scheme in effect; a component using it renders again when they change. */
export function useChartTheme(): ChartTheme {
  return chartTheme(useColorScheme());
}
