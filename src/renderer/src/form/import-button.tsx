/**
 * New experiment's Import… and presets: the files picked (Electron's native dialog, or the browser's
 * hidden file input) or the preset chosen go into the draft, and what the import said (its note, or
 * why it failed) is kept until the user's next edit. The imported file's name is kept for Launch.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Catalog, Preset } from '../../../shared/dto';
import { errorText, useClient } from '../api';
import { filePaths, fromExperiment, type Draft } from './draft';
import { importFiles, pickNative, readFiles, type PickedFile } from './import';

export interface Imported {
  readonly note?: string;
  readonly problems: readonly string[];
  /** The experiment file's (or preset's) name, stored with the experiment it launches. */
  readonly source?: string;
  /**
   * The file field (env.mdp, env.catalog) whose Replace… picked the files: what went wrong is said
   * under it, where the user is looking, rather than at the top of a long form.
   */
  readonly field?: string;
}

interface ImportInput {
  readonly catalog: Catalog;
  readonly draft: Draft;
  /** A draft imported: `renamed` when its components came in without a name of their own; `fitDropped` why its fittedTo no longer applies. */
  readonly onDraft: (next: Draft, renamed: boolean, fitDropped?: string) => void;
  /** A preset loaded: focus for its first field. */
  readonly onPreset: () => void;
  /**
   * A whole experiment (a preset, or an experiment file through Import…) took the draft's place:
   * the sweep set for the one before is no part of it (a sweep is no part of a file either).
   */
  readonly onExperiment: () => void;
}

export function useImport({ catalog, draft, onDraft, onPreset, onExperiment }: ImportInput) {
  const client = useClient();
  const [imported, setImported] = useState<Imported>({ problems: [] });
  const fileInput = useRef<HTMLInputElement>(null);
  /** The file field whose Replace… opened the picker (none for Import…). */
  const pickedFor = useRef<string | undefined>(undefined);
  /** The draft as it is now and what takes the next, for files that arrive after the user edited it (see importFiles). */
  const latest = useRef({ draft, onDraft, onExperiment });
  useEffect(() => {
    latest.current = { draft, onDraft, onExperiment };
  });
  const refused = (problems: readonly string[], field = pickedFor.current) => setImported({ problems, ...(field !== undefined ? { field } : {}) });
  const failed = (e: unknown) => refused([errorText(e)]);

  const onFiles = async (files: PickedFile[]) => {
    if (files.length === 0) return;
    const field = pickedFor.current;
    const r = await importFiles(client, catalog, () => latest.current.draft, files, field);
    // The field whose Replace… picked the files went while they were read (another environment was
    // chosen): so do they, and what they said, which would stand hidden under no field (or at the
    // JSON view's top, about a file the draft no longer has), or put the environment back.
    if (field !== undefined && !filePaths(catalog, latest.current.draft).some(([which, key]) => `${which}.${key}` === field)) return;
    if (!r.ok) return refused(r.problems, field);
    setImported({ note: r.note, problems: [], ...(r.source ? { source: r.source } : {}) });
    latest.current.onDraft(r.draft, !r.source, r.fitDropped);
    if (r.source !== undefined) latest.current.onExperiment();
  };
  /** A preset loads as an imported experiment file would: its note, its problems, its name as the source. */
  const loadPreset = async (preset: Preset) => {
    try {
      const r = await client.call('presets.load', { file: preset.file });
      if (!r.ok) return setImported({ problems: r.problems.map((p) => `${preset.file}: ${p}`) });
      setImported({ note: `Loaded the preset ${preset.file}.`, problems: [], source: preset.file });
      onDraft(fromExperiment(r.experiment), false);
      onExperiment();
      onPreset();
    } catch (e) {
      failed(e);
    }
  };
  const openPicker = (field?: string) => {
    pickedFor.current = field;
    if (client.door === 'electron') void pickNative().then(onFiles, failed);
    else fileInput.current?.click();
  };
  /**
   * What an import said is about the draft as it was then: the user's next edit clears it. The
   * imported experiment's source is kept for Launch.
   */
  const clearMessages = () => setImported((prev) => (prev.note === undefined && prev.problems.length === 0 ? prev : { problems: [], ...(prev.source ? { source: prev.source } : {}) }));
  /** Start over: nothing imported. */
  const forget = () => setImported({ problems: [] });
  const onInputFiles = (list: FileList | null) => void readFiles(list).then(onFiles, failed);

  return { imported, clearMessages, forget, openPicker, loadPreset, fileInput, onInputFiles };
}

/** The Import… button and, for the browser, its hidden file input. */
export function ImportButton({ openPicker, fileInput, onInputFiles }: { openPicker: () => void; fileInput: RefObject<HTMLInputElement | null>; onInputFiles: (list: FileList | null) => void }) {
  return (
    <>
      <button type="button" onClick={() => openPicker()} data-testid="import">
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        accept=".json,application/json"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          onInputFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </>
  );
}
