/**
 * Keeping keyboard focus on the page. A control that leaves with its screen (a link, Launch, "Run
 * again") or is disabled by its own action leaves focus on <body>, and a keyboard user would start
 * over from the top of the window.
 */
import { useEffect, useRef, type RefObject } from 'react';

/** Whether focus has fallen to <body> (nothing on the page has it). */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/**
 * A ref for a screen's heading (give it tabIndex={-1}), which takes focus when the screen mounts
 * with focus lost, so the keyboard carries on from the top of the screen just arrived at.
 */
export function useFocusOnArrival<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (focusIsLost()) ref.current?.focus();
  }, []);
  return ref;
}
