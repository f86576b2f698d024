/**
 * The experiment's greedy evaluation: off (the field absent, so the experiment stays as it was)
 * until ticked, then a number field per setting, read from the experiment schema as every other
 * field is.
 */
import type { JsonSchema } from '../../../shared/dto';
import { isObject } from '../../../shared/values';
import { fieldAria, HelpAndProblems, ParamField, withField, type LocalProblem } from './fields';
import { describeOf, numberSpec, parameters } from './schema';

interface EvaluationFieldProps {
  readonly schema: JsonSchema;
  readonly value: unknown;
  readonly onChange: (value: Record<string, unknown> | undefined) => void;
  readonly problems: ReadonlyMap<string, readonly string[]>;
  readonly onLocalProblem: LocalProblem;
  readonly episodes: number;
}

/** What ticking the box starts from: an evaluation every twentieth of training, the defaults for the rest. */
function firstValue(schema: JsonSchema, episodes: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of parameters(schema)) {
    if ('default' in sub) out[key] = sub.default;
    else if (numberSpec(sub).integer) out[key] = Math.max(1, Math.round(episodes / 20));
  }
  return out;
}

export function EvaluationField({ schema, value, onChange, problems, onLocalProblem, episodes }: EvaluationFieldProps) {
  const id = 'f-evaluation';
  const on = isObject(value);
  const help = describeOf(schema);
  const mine = problems.get('evaluation') ?? [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return (
    <fieldset className="field choice" data-testid="field-evaluation">
      <legend>
        <span className="name">greedy evaluation</span>
      </legend>
      <label>
        <input id={id} type="checkbox" data-testid="input-evaluation" checked={on} {...fieldAria(id, mine, Boolean(help))} onChange={(e) => onChange(e.target.checked ? firstValue(schema, episodes) : undefined)} /> evaluate
        the greedy policy during training
      </label>
      {on && (
        <div className="subfields">
          {parameters(schema).map(([key, sub]) => (
            <ParamField
              key={key}
              path={`evaluation.${key}`}
              name={key}
              schema={sub}
              value={value[key]}
              onChange={(v) => onChange(withField(value, key, v))}
              problems={problems}
              onLocalProblem={onLocalProblem}
              episodes={episodes}
              required={required.includes(key)}
            />
          ))}
        </div>
      )}
      <HelpAndProblems inputId={id} path="evaluation" help={help} problems={mine} />
    </fieldset>
  );
}
