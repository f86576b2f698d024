// Lint: typescript-eslint's recommended rules everywhere, plus "where may this file run" rules
// (Signal Desktop's habit): the engine is pure, deterministic TypeScript that runs in workers,
// the CLI, Electron and the browser alike, so it may not import node:*, electron or react, touch
// the DOM, or draw random numbers anywhere but its seeded generator.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

// A JSON Schema made with z.toJSONSchema directly misses the parts lazyJsonSchema fills in (an
// inline catalog's or MDP's format): every caller goes through jsonSchemaOf.
const toJsonSchemaRestriction = { object: 'z', property: 'toJSONSchema', message: 'use jsonSchemaOf (src/engine/json-schema.ts): it fills in the parts built lazily.' };

export const engineRules = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        ...nodeBuiltins.map((name) => ({ name, message: 'src/engine is pure: no Node built-ins (move I/O to src/main or src/cli).' })),
        { name: 'electron', message: 'src/engine is pure: no electron.' },
        { name: 'react', message: 'src/engine is pure: no react.' },
        { name: 'react-dom', message: 'src/engine is pure: no react-dom.' },
        { name: 'better-sqlite3', message: 'src/engine never touches the database: report through callbacks.' },
      ],
      patterns: [
        { group: ['node:*'], message: 'src/engine is pure: no node:* imports (move I/O to src/main or src/cli).' },
        { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'src/engine is pure: no electron or react.' },
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', '**/shared/**'], message: 'src/engine imports nothing from the layers above it (src/shared included: it imports the engine).' },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location', 'fetch', 'XMLHttpRequest', 'process', 'require', 'Buffer', '__dirname', '__filename', 'setTimeout', 'setInterval'].map(
      (name) => ({ name, message: `src/engine is pure and deterministic: no ${name} (no DOM, no Node, no timers).` }),
    ),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'src/engine draws random numbers only from its seeded Rng (src/engine/rng.ts).' },
    { object: 'Date', property: 'now', message: 'src/engine is deterministic: take time from the caller.' },
    { object: 'globalThis', property: 'crypto', message: 'src/engine draws random numbers only from its seeded Rng.' },
    toJsonSchemaRestriction,
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**', 'dist/**', '.tmp/**', 'test-results/**', 'node_modules/**', 'resources/schemas/**', 'coverage/**',
      // AssemblyScript (decorators on functions, i32/f64…): asc checks it. Its output is generated.
      'src/engine/wasm/assembly/**', 'src/engine/wasm/assembly-nn/**', 'src/engine/wasm/assembly-window/**', 'src/engine/wasm/assembly-mdp/**', 'src/engine/wasm/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', Buffer: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', SharedArrayBuffer: 'readonly', Atomics: 'readonly',
        structuredClone: 'readonly', queueMicrotask: 'readonly', AbortController: 'readonly', fetch: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', Blob: 'readonly',
        EventSource: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly', File: 'readonly', requestAnimationFrame: 'readonly',
        cancelAnimationFrame: 'readonly', ResizeObserver: 'readonly', crypto: 'readonly',
        WebAssembly: 'readonly', atob: 'readonly', btoa: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts', 'test/**/*.tsx'],
    rules: { 'no-restricted-properties': ['error', toJsonSchemaRestriction] },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: engineRules,
  },
  {
    // The renderer runs in a browser page (Electron's sandboxed renderer, or the browser mode): no
    // Node, no electron (the preload's bridge is its only door), and nothing of src/main or the CLI
    // (it asks the service through the contract, src/shared/contract.ts). The pure engine and
    // src/shared it may use: the same checks and words as the service, run in the page.
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'src/renderer runs in a browser page: no Node built-ins.' })),
            { name: 'electron', message: 'src/renderer reaches Electron only through the preload bridge.' },
            { name: 'better-sqlite3', message: 'src/renderer never reads SQLite: ask the service through the contract.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'src/renderer runs in a browser page: no node:* imports.' },
            { group: ['electron/*'], message: 'src/renderer reaches Electron only through the preload bridge.' },
            { group: ['**/main/**', '**/cli/**', '**/preload/**'], message: 'src/renderer asks the service through the contract (src/shared/contract.ts), never src/main, the CLI or the preload directly.' },
          ],
        },
      ],
    },
  },
  {
    // Electron is the shell's: the rest of src/main runs in the CLI and the browser mode too, without it.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell.ts', 'src/main/menu.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'only src/main/index.ts, shell.ts and menu.ts (the Electron shell) import electron: the rest of src/main runs in the CLI and the browser mode too.' }] }],
    },
  },
  {
    // The store is what everything above it writes through (the pool, the service, the CLI, results
    // import): it depends on none of them, so that each can be tested and reused on the store alone.
    files: ['src/main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // (This block's rule replaces src/main's for the store's files: electron stays out here too.)
          paths: [{ name: 'electron', message: 'src/main/store depends on nothing above it, Electron least of all.' }],
          patterns: [
            { group: ['**/jobs/**', '**/service/**', '**/service', '**/results/**', '**/cli/**', '**/renderer/**', '**/preload/**', '**/host/**'], message: 'src/main/store depends on nothing above it: move what both need to src/shared or a small module of src/main.' },
          ],
        },
      ],
    },
  },
);
