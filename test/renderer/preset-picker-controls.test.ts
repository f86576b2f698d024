// New experiment's "Start from a preset…" names the list it opens (aria-controls) only while the list
// is on the page: closed, it named the id of an element that was not there (an ARIA reference to
// nothing, found by the keyboard and screen-reader audit's check of every screen).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PresetPicker } from '../../src/renderer/src/form/preset-picker';
import type { Preset } from '../../src/shared/dto';

const presets: Preset[] = [{ file: 'quickstart.json', name: 'quickstart', description: '', envId: 'tabular-mdp', agentId: 'q-learning', seeds: 5 }];
const html = (startOpen: boolean) => renderToStaticMarkup(createElement(PresetPicker, { presets, onPick: () => {}, startOpen }));
const toggle = (page: string) => /<button[^>]*data-testid="presets-toggle"[^>]*>/.exec(page)?.[0] ?? '';

describe('Start from a preset…', () => {
  it('names the list it controls only while the list is shown', () => {
    const closed = html(false);
    expect(closed).not.toContain('id="preset-list"');
    expect(toggle(closed)).toContain('aria-expanded="false"');
    expect(toggle(closed)).not.toContain('aria-controls');
    const open = html(true);
    expect(open).toContain('id="preset-list"');
    expect(toggle(open)).toContain('aria-expanded="true"');
    expect(toggle(open)).toContain('aria-controls="preset-list"');
  });
});
