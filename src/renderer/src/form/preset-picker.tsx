/**
 * "Start from a preset": the example experiments built into the app (resources/experiments), each
 * with its name and description, one click from the form. Picking one loads it as Import does.
 */
import { useEffect, useState } from 'react';
import { FEW_RUNS, SEEDS_FOR_VERDICTS } from '../../../shared/compare-text';
import type { Preset } from '../../../shared/dto';
import { plural } from '../../../shared/text';
import { writeQuery } from '../url-state';

/**
 * `startOpen`: the list is open on arrival (the Experiments screen's "Start from a preset", whose
 * link says `presets=open`). The address follows the list as it opens and closes: it kept
 * `presets=open` after a preset was picked, so a reload, or Back from the launched runs, opened the
 * list again above the preset's form; an address that says it, followed while the form is shown, opens it.
 */
export function PresetPicker({ presets, onPick, startOpen }: { presets: readonly Preset[]; onPick: (preset: Preset) => void; startOpen: boolean }) {
  const [open, setShown] = useState(startOpen);
  // An address that says presets=open while the form is shown (typed, or a link followed from here) opens the list.
  useEffect(() => {
    if (startOpen) setShown(true);
  }, [startOpen]);
  const setOpen = (next: boolean) => {
    setShown(next);
    writeQuery({ presets: next ? 'open' : undefined }, 'replace', 'experiments/new');
  };
  if (presets.length === 0) return null;
  return (
    <>
      {/* aria-controls only while the list is there: an id that names nothing is an ARIA error (the audit's check of every screen found it closed). */}
      <button type="button" aria-expanded={open} aria-controls={open ? 'preset-list' : undefined} onClick={() => setOpen(!open)} data-testid="presets-toggle">
        Start from a preset…
      </button>
      {open && (
        <div className="panel preset-list" id="preset-list" role="group" aria-label="Presets" data-testid="preset-list">
          <p className="muted small" data-testid="preset-help">
            The example experiments that come with Aisle: pick one to load it into the form (with its MDP or shop catalog), then change what you like. {SEEDS_FOR_VERDICTS}.
          </p>
          <ul>
            {presets.map((p) => (
              <li key={p.file}>
                <button
                  type="button"
                  className="link"
                  data-testid={`preset-${p.file}`}
                  onClick={() => {
                    setOpen(false);
                    onPick(p);
                  }}
                >
                  {p.name}
                </button>{' '}
                <span className="muted small" data-testid={`preset-seeds-${p.file}`}>
                  {p.envId} · {p.agentId} · {plural(p.seeds, 'seed')}
                  {p.seeds < FEW_RUNS ? ', too few for a verdict in Compare' : ''}
                </span>
                {p.description && <div className="muted small">{p.description}</div>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
