// New experiment's line beside Launch: shown as it stands (Checking…, Ready, the problems to fix),
// while a screen reader is told, politely, the answers only: "Checking…" came with every keystroke.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ValidationState } from '../../src/renderer/src/form/validation-state';

const html = (props: { checking: string | null; sayChecking?: boolean; ready: string | null }) =>
  renderToStaticMarkup(createElement(ValidationState, { ...props, problems: '2 problems to fix', onGoToProblem: () => {} }));

/** The text of the element with `data-testid`, and its attributes. */
function part(markup: string, testId: string): { text: string; tag: string } {
  const m = new RegExp(`(<span[^>]*data-testid="${testId}"[^>]*>)(.*?)</span>(?:</span>)?`).exec(markup);
  expect(m, testId).not.toBeNull();
  return { tag: m![1]!, text: m![2]!.replace(/<[^>]+>/g, '') };
}

describe('ValidationState', () => {
  it('shows "Checking…" but says nothing while an edit is checked', () => {
    const markup = html({ checking: 'Checking…', ready: null });
    expect(part(markup, 'validation-state').text).toBe('Checking…');
    expect(part(markup, 'validation-state').tag).not.toContain('aria-live');
    expect(part(markup, 'validation-said')).toEqual({ tag: expect.stringContaining('aria-live="polite"') as unknown as string, text: '' });
  });

  it('says the answer: ready, or the problems to fix (shown as the link to the first)', () => {
    const ready = html({ checking: null, ready: 'Ready: 5 × 500 episodes' });
    expect(part(ready, 'validation-state').text).toBe('Ready: 5 × 500 episodes');
    expect(part(ready, 'validation-said').text).toBe('Ready: 5 × 500 episodes');
    const problems = html({ checking: null, ready: null });
    expect(problems).toContain('data-testid="go-to-problem"');
    expect(part(problems, 'validation-said').text).toBe('2 problems to fix');
  });

  it('says the wait after a press of Launch', () => {
    const markup = html({ checking: 'Checking… Launch follows if nothing new comes up.', sayChecking: true, ready: null });
    expect(part(markup, 'validation-said').text).toBe('Checking… Launch follows if nothing new comes up.');
  });
});
