// The "where may this file run" lint rules: engine files may not import node:*, electron or react,
// touch the DOM, or call Math.random; the same code elsewhere is allowed.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(__dirname, '..') });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(__dirname, '..', filePath) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

/** Every lint problem in the folder's files, one line each. */
async function problemsIn(folder: string): Promise<string[]> {
  const results = await eslint.lintFiles([folder]);
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
}

describe('engine purity lint', () => {
  const cases: [string, string, string][] = [
    ['a node: import', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'no-restricted-imports'],
    ['a bare node built-in', "import path from 'path';\nexport const p = path;\n", 'no-restricted-imports'],
    ['electron', "import { app } from 'electron';\nexport const a = app;\n", 'no-restricted-imports'],
    ['react', "import { useState } from 'react';\nexport const u = useState;\n", 'no-restricted-imports'],
    ['the DOM', 'export const w = document.title;\n', 'no-restricted-globals'],
    ['Math.random', 'export const r = Math.random();\n', 'no-restricted-properties'],
    ['Date.now', 'export const t = Date.now();\n', 'no-restricted-properties'],
  ];
  for (const [what, code, rule] of cases) {
    it(`fails on ${what} under src/engine`, async () => {
      expect(await ruleIds(code, 'src/engine/lint-probe.ts')).toContain(rule);
    });
  }

  it('allows the same code outside the engine', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = Math.random() + readFileSync.length;\n", 'src/main/lint-probe.ts')).toEqual([]);
  });

  it('passes the real engine', async () => {
    expect(await problemsIn('src/engine')).toEqual([]);
  });
});

describe('store layering lint', () => {
  it('fails on a store module importing the job pool', async () => {
    expect(await ruleIds("import { AutosaveTimer } from '../jobs/autosave';\nexport const a = AutosaveTimer;\n", 'src/main/store/lint-probe.ts')).toContain('no-restricted-imports');
  });

  it('allows the same import outside the store', async () => {
    expect(await ruleIds("import { AutosaveTimer } from './autosave';\nexport const a = AutosaveTimer;\n", 'src/main/jobs/lint-probe.ts')).toEqual([]);
  });

  it('passes the real store', async () => {
    expect(await problemsIn('src/main/store')).toEqual([]);
  });
});

describe('renderer and shell layering lint', () => {
  const cases: [string, string, string][] = [
    ['a node: import', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'src/renderer/src/lint-probe.ts'],
    ['electron', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n", 'src/renderer/src/lint-probe.tsx'],
    ['src/main', "import { Lab } from '../../main/lab';\nexport const l = Lab;\n", 'src/renderer/src/lint-probe.ts'],
    ['the CLI', "import { EXIT } from '../../cli/context';\nexport const e = EXIT;\n", 'src/renderer/src/lint-probe.ts'],
    ['electron in src/main outside the shell', "import { app } from 'electron';\nexport const a = app;\n", 'src/main/service/lint-probe.ts'],
    ['electron in the store', "import { app } from 'electron';\nexport const a = app;\n", 'src/main/store/lint-probe.ts'],
    ['src/shared from the engine', "import { plural } from '../shared/text';\nexport const p = plural;\n", 'src/engine/lint-probe.ts'],
  ];
  for (const [what, code, file] of cases) {
    it(`fails on ${what} (${file})`, async () => {
      expect(await ruleIds(code, file)).toContain('no-restricted-imports');
    });
  }

  it('allows the renderer the engine and src/shared, and the shell electron', async () => {
    expect(await ruleIds("import { plural } from '../../shared/text';\nimport { Rng } from '../../engine/rng';\nexport const p = [plural, Rng];\n", 'src/renderer/src/lint-probe.ts')).toEqual([]);
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'src/main/shell.ts')).toEqual([]);
  });

  it('passes the real renderer and src/main', async () => {
    expect(await problemsIn('src/renderer')).toEqual([]);
    expect(await problemsIn('src/main')).toEqual([]);
  });
});
