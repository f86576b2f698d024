/** Number, time and status formatting shared by the screens, and reading a whole number back from a field. */
// One formatter for the app and the CLI (its grouping is a regex on the number's text, about twice
// as fast as Intl.NumberFormat on a table's worth of numbers).
export { fmt } from '../../shared/text';
import { trainingMs } from '../../shared/training-time';

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "12.3 s": a run's training time at `now`, its pauses left out (see trainingMs); '–' before it first starts. */
export function trainingTime(run: { readonly activeMs: number | null; readonly activeAt: number | null }, now = Date.now()): string {
  return duration(trainingMs(run, now));
}

export function when(ts: number): string {
  const d = new Date(ts);
  return `${d.toISOString().slice(0, 10)} ${d.toTimeString().slice(0, 5)}`;
}

/** A field's text as a whole number in [min, max], or null (empty, fractional, out of range). */
export function wholeNumber(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}
