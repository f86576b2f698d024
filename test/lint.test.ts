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
    const results = await eslint.lintFiles(['src/engine']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
    expect(problems).toEqual([]);
  });
});
