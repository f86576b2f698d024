/**
 * A box that scrolls what is too wide (or too tall) for it, a table of many groups in a narrow
 * window. While its content overflows, the box is a named region that takes focus, so a keyboard
 * reaches it and scrolls it with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable) and
 * a screen reader names what it scrolls. While the content fits it is a plain box: a Tab stop that
 * scrolls nothing would only lengthen the way through the screen.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export function ScrollRegion({ label, className = 'table-scroll', testId, children }: { label: string; className?: string; testId?: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  // After every render: the content (a table of more groups, a folded section opened) changes
  // without the box changing size, so its children are observed too, whichever they are now.
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    // A pixel of slack: a table's fractional width can round one pixel over its box without scrolling anything.
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  });
  return (
    <div
      ref={box}
      className={`${className} scroll-region`}
      data-testid={testId}
      data-scrolls={scrolls}
      {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}
    >
      {children}
    </div>
  );
}
