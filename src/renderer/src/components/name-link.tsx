/**
 * An experiment's name as a link in a table's name cell, cut to the cell's width in its middle
 * rather than at its end: a sweep's experiments share their start and differ in the settings their
 * names end with, so a cut at the end made every run of a sweep read "q-learning on shop (exact)…".
 * The start takes the first line and is cut there; the settings take the next (two lines at most)
 * and stay whole when they fit, as Compare's chips and `aisle runs` keep them (middleCut).
 */
import { nameParts } from '../../../shared/text';

export function NameLink({ name, href, title }: { name: string; href: string; title?: string }) {
  const { start, settings } = nameParts(name);
  if (start.trim() === '' || settings === '') {
    return (
      <a href={href} title={title}>
        {name}
      </a>
    );
  }
  // Flex items that wrap: side by side when the whole name fits, else the settings go under the
  // start. The space between them is the gap (a flex item's leading space is dropped), and stays in
  // the text, so the link's name and a copy of it read the whole name.
  return (
    <a href={href} title={title} className="cut-name" data-testid="cut-name">
      <span className="cut-name-start">{start}</span>
      <span className="cut-name-settings">{settings}</span>
    </a>
  );
}
