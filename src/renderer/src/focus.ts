/**
 * Keeping keyboard focus on the page. A control that leaves with its screen (a link, Launch, "Run
 * again") or is disabled by its own action leaves focus on <body>, and a keyboard user would start
 * over from the top of the window. Arriving at a screen is handled once, for every screen, by
 * useFocusOnScreenChange; a control that goes away within a screen hands focus on with
 * useFocusAfterRender or a ref of its own.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/** Whether focus has fallen to <body> (nothing on the page has it). */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/**
 * The attribute by which a screen names the element that takes focus when the screen opens,
 * instead of its heading: `<p data-arrival-focus …>`. It must be rendered with the screen's first
 * content; a target that comes later (once data loads) is focused by the screen itself.
 */
export const ARRIVAL_TARGET = 'data-arrival-focus';

/** The element of the screen in `main` that takes focus on arrival, once it is rendered. */
function arrivalTarget(main: HTMLElement): HTMLElement | null {
  return main.querySelector<HTMLElement>(`[${ARRIVAL_TARGET}]`) ?? main.querySelector<HTMLElement>('h1');
}

function focusTarget(el: HTMLElement): void {
  // A heading is not focusable by itself: tabindex -1 lets script focus it without adding a Tab stop.
  if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

/**
 * When the screen (`screenKey`, the route's path without its query) changes — by a link, a button
 * or Back and Forward — focus moves to the new screen's main heading, or to the element it names
 * with ARRIVAL_TARGET, waiting for it while the screen loads (a run's page shows "Loading…" first).
 * A screen reader reads the focused heading, which announces the screen: no live region is needed
 * on top of it (it would say the same thing twice).
 *
 * Screens opt out by moving focus themselves: only focus that nobody has moved since the navigation
 * is moved (focus still on <body> or on the control outside the screen that navigated, a sidebar
 * link). A screen's mount effect runs before this one, so focus it places there stays; so does
 * focus the user moves while the screen loads. The first screen of a page load is left alone: the
 * browser announces the page and a keyboard user starts at the sidebar.
 */
export function useFocusOnScreenChange(screenKey: string, main: RefObject<HTMLElement | null>): void {
  const shown = useRef(screenKey);
  useEffect(() => {
    if (shown.current === screenKey) return;
    shown.current = screenKey;
    const root = main.current;
    if (!root) return;
    const left = document.activeElement;
    // Focus inside the screen was put there by the screen (the previous screen's elements are gone).
    if (left !== null && left !== document.body && root.contains(left)) return;
    const untouched = () => focusIsLost() || document.activeElement === left;
    const tryFocus = (): boolean => {
      if (!untouched()) return true;
      const target = arrivalTarget(root);
      if (!target) return false;
      focusTarget(target);
      return true;
    };
    if (tryFocus()) return;
    const observer = new MutationObserver(() => {
      if (tryFocus()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [screenKey, main]);
}

/**
 * For a control that leaves the page with its own action (a button disabled while it works, a
 * banner's button that closes the banner): `focusAfterRender(() => element)` focuses the element
 * the function returns once the render that the same event causes is in place (the element may not
 * exist before it). The function runs then, so it can also decide whether to move focus at all.
 */
export function useFocusAfterRender(): (target: () => HTMLElement | null | undefined) => void {
  const pending = useRef<(() => HTMLElement | null | undefined) | null>(null);
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    const target = pending.current;
    if (!target) return;
    pending.current = null;
    target()?.focus();
  }, [requests]);
  return useCallback((target) => {
    pending.current = target;
    setRequests((n) => n + 1);
  }, []);
}

/**
 * A sticky bar at the bottom of the window (New experiment's Launch bar) would cover the field that
 * takes focus near it (WCAG 2.4.11): while it is shown, the page keeps scroll padding of its height,
 * so focus scrolls the field clear of it. The bar grows with its content; the padding follows.
 */
export function useFocusClearOfBottomBar(bar: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => (root.style.scrollPaddingBottom = `${element.offsetHeight + 8}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.scrollPaddingBottom = '';
    };
  }, [bar]);
}
