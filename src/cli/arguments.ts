/**
 * The `aisle` command's argument parsers: each checks one option's or argument's text and throws
 * commander's InvalidArgumentError, a usage error (exit 2), naming the option and what it takes.
 */
import { InvalidArgumentError } from 'commander';
import { CONTROL, rangeNumber, thousands } from '../engine/params';
import { DECIMAL } from '../engine/csv';
import { EXPONENT_FORM, idRange } from '../shared/text';

export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (max === Number.MAX_SAFE_INTEGER && /^\d+$/.test(value.trim()) && n > max) throw tooLarge(name, value, min);
    // Digits, or a whole number in exponent form as an experiment file takes it (`--episodes 1e8`, 2.5e5).
    const whole = /^-?\d+$/.test(value.trim()) || (EXPONENT_FORM.test(value.trim()) && Number.isSafeInteger(n));
    if (!whole || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${rangeNumber(min)}${max < Number.MAX_SAFE_INTEGER ? ` to ${rangeNumber(max)}` : ' up'}, got "${value}".`);
    return n;
  };
}

/** What each id argument names, and the command that lists those there are. */
const IDS: Readonly<Record<string, { what: string; list: string }>> = {
  runId: { what: 'run', list: '`aisle runs` lists the runs there are' },
  '--runs': { what: 'run', list: '`aisle runs` lists the runs there are' },
  experimentId: { what: 'experiment', list: '`aisle experiments` lists the experiments there are' },
  '--experiment': { what: 'experiment', list: '`aisle experiments` lists the experiments there are' },
  policyId: { what: 'policy', list: '`aisle policies` lists the policies there are' },
};

/**
 * A whole number past 2^53 (the largest a double holds exactly: 99999999999999999999 reads as
 * 1e20): what is wrong is its size, not its form, and no id is that large (Aisle's ids count up from 1).
 */
function tooLarge(name: string, value: string, min: number): InvalidArgumentError {
  const most = rangeNumber(Number.MAX_SAFE_INTEGER);
  const id = IDS[name];
  if (id) return new InvalidArgumentError(`${name} "${value}" is too large: no ${id.what} has an id above ${most} (2^53 − 1): ${id.list}.`);
  return new InvalidArgumentError(`${name} "${value}" is too large: give a whole number from ${rangeNumber(min)} to ${most}.`);
}

/** A share in percent, above 0 and below 100 ("20" or "20%"). */
export function percent(name: string) {
  return (value: string): number => {
    const text = value.trim().replace(/%$/, '').trimEnd(); // "20 %", as the refusal below writes it
    const n = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(n) || !(n > 0 && n < 100)) throw new InvalidArgumentError(`${name} must be a percentage above 0 and below 100 (e.g. 20 for the last 20 % of the rows), got "${value}".`);
    return n;
  };
}

export function real(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    // Written as a decimal number: Number() alone took 0x10 as 16 and 0b1 as 1 (`--prior 0x10`, `--gamma 0b1`), which the whole-number options refuse.
    if (!DECIMAL.test(value.trim()) || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number in [${rangeNumber(min)}, ${rangeNumber(max)}], got "${value}".`);
    return n;
  };
}

/** The most ids one range may name (`--runs 1-1000`): a typo such as 1-100000 is refused, not looked up id by id. */
export const MAX_ID_RANGE = 1000;

/**
 * Ids given one after another (`<ids...>`, `--runs 4 5`), each a whole number from 1 or a range
 * `21-40` (also `21..40`, as the app's run box takes them), collected in order.
 */
export function idList(name: string) {
  return (value: string, previous: number[] = []): number[] => {
    const text = value.trim();
    const range = idRange(text);
    // Past 2^53 a number rounds to another (99999999999999999999 to 1e20): not an id anyone has.
    const notAnId = () => new InvalidArgumentError(`${name} must be a whole number from 1 up, or a range of them such as 21-40, got "${value}".`);
    if (!range) {
      if (/^\d+$/.test(text) && Number(text) > Number.MAX_SAFE_INTEGER) throw tooLarge(name, value, 1);
      if (!/^\d+$/.test(text) || Number(text) < 1) throw notAnId();
      return [...previous, Number(text)];
    }
    const { from, to } = range;
    if (!Number.isSafeInteger(to)) throw tooLarge(name, value, 1);
    if (from < 1 || to < from) {
      // Reversed, or from 0: "0-3" was told to write the lower first, which it does.
      const high = Math.max(from, to);
      const fix = to >= 1 && to < from ? `write the lower first, e.g. ${to}-${from}` : high > 1 ? `ids start at 1, e.g. 1-${Math.min(high, MAX_ID_RANGE)}` : high === 1 ? 'ids start at 1, e.g. 1' : 'ids start at 1, e.g. 21-40';
      throw new InvalidArgumentError(`${name}: "${value}" is not a range of ids: ${fix}.`);
    }
    if (to - from + 1 > MAX_ID_RANGE) throw new InvalidArgumentError(`${name}: "${value}" names ${thousands(to - from + 1)} ids, more than ${thousands(MAX_ID_RANGE)} in one range: give a shorter one.`);
    return [...previous, ...Array.from({ length: to - from + 1 }, (_, i) => from + i)];
  };
}

export const runId = integer('runId', 1);
export const policyId = integer('policyId', 1);

/** A name a file will carry: at most `max` characters (its format's limit), none of them control characters. */
export function nameOption(max: number) {
  return (value: string): string => {
    if (value !== '' && value.trim() === '' && !CONTROL.test(value)) throw new InvalidArgumentError(`--name is only spaces: give the name some visible characters (up to ${max}).`);
    if (CONTROL.test(value) || value.length > max || value.trim() === '') {
      throw new InvalidArgumentError(`--name must be 1 to ${max} characters, none of them control characters, got ${value.length > 40 ? `${value.length} characters` : JSON.stringify(value)}.`);
    }
    return value;
  };
}
/** An MDP's name as aisle.mdp/v1 holds it: at most 200 characters, none of them control characters. */
export const mdpName = nameOption(200);

/** A path to write to: an empty one (an unset shell variable, say) would quietly print or write to the current folder instead. */
export function outputPath(option: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new InvalidArgumentError(`${option}: give a file path.`);
    // Not standard output, as some tools read it: a file named "-" would be written.
    if (value === '-') throw new InvalidArgumentError(`${option} -: give a file path (to print instead, leave ${option} out where the command allows it).`);
    return value;
  };
}

/** An empty `--host` would listen on every interface of the machine. */
export function hostOption(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('--host: give an address (127.0.0.1 for this machine only, 0.0.0.0 for every network interface).');
  return value.trim();
}

/** An empty `--db` (an unset shell variable, say) must not quietly open the user's own database. */
export function dbPath(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('--db: give a file path.');
  return value;
}
