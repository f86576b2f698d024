/** Parameters as a key/value list: numbers aligned, an inline MDP summarised, other objects as compact JSON. */
import { Fragment } from 'react';
import { fmt } from '../format';
import { inlineFileText } from '../form/schema';

export function valueText(v: unknown): string {
  if (typeof v === 'number') return fmt(v, 6);
  if (typeof v === 'string') return v;
  return inlineFileText(v) ?? JSON.stringify(v);
}

export function ValueTable({ values }: { values: Readonly<Record<string, unknown>> }) {
  return (
    <dl className="kv">
      {Object.entries(values).map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd className={typeof v === 'object' && v !== null ? 'mono' : undefined}>{valueText(v)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
