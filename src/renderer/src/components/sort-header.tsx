/**
 * A table column's header that sorts the table: a button naming the column (with ▴ or ▾ on the
 * sorted one, hidden from screen readers), and aria-sort saying the order to them. The Runs and Experiments tables.
 */
export function SortHeader<S extends string>({
  sort,
  current,
  onSort,
  label,
  num,
  className,
}: {
  sort: S;
  /** The table's order now. */
  current: { sort: S; desc: boolean };
  onSort: (sort: S) => void;
  label: string;
  num?: boolean;
  className?: string | undefined;
}) {
  const active = current.sort === sort;
  const classes = [num ? 'num' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <th className={classes || undefined} aria-sort={active ? (current.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" data-testid={`sort-${sort}`} onClick={() => onSort(sort)}>
        {label}
        {/* A no-break space: in a narrow table whose headers wrap, the arrow stays beside the name ("#" over "▾" read as two headers).
            Hidden from screen readers, which say the order from aria-sort: in the name, it was read as "black down-pointing small triangle". */}
        {active && <span aria-hidden="true">{current.desc ? '\u00a0▾' : '\u00a0▴'}</span>}
      </button>
    </th>
  );
}
