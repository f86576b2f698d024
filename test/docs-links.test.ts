// The README's and the docs' links, the repository files they name and the sections that code and
// docs cite by heading must all exist: a renamed file or heading otherwise leaves a reader at a
// dead end that no other test notices.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const DOCS = ['README.md', 'docs/app.md', 'docs/cli.md', 'docs/packaging.md', 'docs/shop-simulator.md', 'docs/shop-results.md', 'docs/nn.md'];
/** Docs whose every named repository path is checked (the ones checked against the code line by line). */
const PATH_CHECKED = ['docs/shop-simulator.md', 'docs/shop-results.md', 'docs/nn.md'];
/** Files a build writes and git does not hold, which a doc may name. */
const GENERATED = /^src\/engine\/wasm\/generated\//;

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Text outside fenced code blocks (a block's `[x](y)` is code, not a link). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The headings of a markdown file, as written (outside code blocks). */
function headings(file: string): string[] {
  return [...prose(read(file)).matchAll(/^#{1,6} +(.+?) *#*$/gm)].map((m) => m[1]!);
}

/** The anchors of a markdown file; a repeated heading gets -1, -2, … as on GitHub. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(file)) {
    const base = slug(h.replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const tracked = new Set(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n'));
/** A tracked file or folder; a `*` in the last part matches any characters (`resources/experiments/shop-*.json`). */
function isTrackedPath(path: string): boolean {
  if (path.includes('*')) {
    const pattern = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return [...tracked].some((f) => pattern.test(f));
  }
  return tracked.has(path) || [...tracked].some((f) => f.startsWith(`${path.replace(/\/$/, '')}/`));
}

describe('links in the README and the docs', () => {
  it('slug follows GitHub’s rule', () => {
    expect(slug('The `aisle` command')).toBe('the-aisle-command');
    expect(slug('Shop results: what the presets show')).toBe('shop-results-what-the-presets-show');
    expect(slug('Reproduce in the app: the Compare view')).toBe('reproduce-in-the-app-the-compare-view');
  });

  for (const doc of DOCS) {
    it(`${doc}: every relative link reaches a file, and its #anchor a heading there`, () => {
      const broken: string[] = [];
      for (const m of prose(read(doc)).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? doc : relative(ROOT, resolve(dirname(join(ROOT, doc)), decodeURIComponent(path)));
        if (!existsSync(join(ROOT, file))) broken.push(`${target}: no file ${file}`);
        else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${target}: ${file} has no heading with anchor #${anchor}`);
      }
      expect(broken).toEqual([]);
    });
  }

  for (const doc of PATH_CHECKED) {
    it(`${doc}: every repository path it names exists`, () => {
      const names = new Set([...read(doc).matchAll(/(?<![\w./-])(?:src|test|scripts|resources|docs)\/[\w./*-]*\w/g)].map((m) => m[0]));
      const missing = [...names].filter((p) => !GENERATED.test(p) && !isTrackedPath(p));
      expect(missing).toEqual([]);
    });
  }

  it('a section cited by its heading (docs/x.md, "Heading" in code and docs; "Heading" below/above in a doc) exists', () => {
    // This file is left out: its test names quote the pattern itself.
    const files = [...tracked].filter((f) => (/^(src|test|scripts)\/.*\.(ts|tsx|mjs)$/.test(f) && f !== 'test/docs-links.test.ts') || DOCS.includes(f));
    const broken: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const m of text.matchAll(/(docs\/[\w-]+\.md|README\.md),? (?:section )?["“]([^"”\n]+)["”]/g)) {
        if (!existsSync(join(ROOT, m[1]!)) || !headings(m[1]!).includes(m[2]!)) broken.push(`${file}: ${m[0]}`);
      }
      if (file.endsWith('.md')) {
        // A heading, or a passage quoted from the text (then it stands there once more).
        for (const m of text.matchAll(/["“]([^"”\n]+)["”] (?:below|above)/g)) {
          const quoted = m[1]!;
          const isHeading = headings(file).some((h) => h.replace(/`/g, '') === quoted.replace(/`/g, ''));
          if (!isHeading && text.split(quoted).length < 3) broken.push(`${file}: ${m[0]}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
