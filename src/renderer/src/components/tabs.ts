/**
 * The WAI-ARIA tabs pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/) for a screen's own
 * tab markup: Left and Right arrows (wrapping) and Home and End move to a tab and select it, and
 * only the selected tab is in the Tab order, so Tab from it goes on into the panel.
 */
import { useId, type KeyboardEvent } from 'react';

/** Props for the tab buttons (role, selection, keys, ids) and for the one panel they control. */
export interface Tabs<T extends string> {
  tab(t: T): {
    id: string;
    role: 'tab';
    'aria-selected': boolean;
    'aria-controls': string;
    tabIndex: 0 | -1;
    onClick: () => void;
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
  };
  /**
   * One panel shows the selected tab's content (the other's is unmounted), so every tab's
   * aria-controls names an element that is there; it is labelled by the selected tab.
   */
  readonly panel: { id: string; role: 'tabpanel'; 'aria-labelledby': string };
}

export function useTabs<T extends string>(tabs: readonly T[], selected: T, onSelect: (t: T) => void): Tabs<T> {
  const base = useId();
  const tabId = (t: T) => `${base}-tab-${t}`;
  const panelId = `${base}-panel`;
  const keyTarget = (i: number, key: string): number | undefined => {
    if (key === 'ArrowRight') return (i + 1) % tabs.length;
    if (key === 'ArrowLeft') return (i - 1 + tabs.length) % tabs.length;
    if (key === 'Home') return 0;
    if (key === 'End') return tabs.length - 1;
    return undefined;
  };
  return {
    tab: (t) => ({
      id: tabId(t),
      role: 'tab',
      'aria-selected': t === selected,
      'aria-controls': panelId,
      tabIndex: t === selected ? 0 : -1,
      onClick: () => onSelect(t),
      onKeyDown: (e) => {
        const next = keyTarget(tabs.indexOf(t), e.key);
        if (next === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault(); // Home and End would scroll the page
        onSelect(tabs[next]!);
        document.getElementById(tabId(tabs[next]!))?.focus();
      },
    }),
    panel: { id: panelId, role: 'tabpanel', 'aria-labelledby': tabId(selected) },
  };
}
