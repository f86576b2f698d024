// Policies' Export and Save the runtime say their outcome through one notice (action-notice.tsx): the
// paragraph is the one each wrote inline before, a focusable status when the work went well and an alert when it failed.
import { describe, expect, it } from 'vitest';
import { createElement, createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ActionNotice } from '../../src/renderer/src/components/action-notice';

describe('ActionNotice', () => {
  const noticeRef = createRef<HTMLParagraphElement>();

  it('says a success as a focusable status and a failure as an alert, under the test id given', () => {
    expect(renderToStaticMarkup(createElement(ActionNotice, { notice: { kind: 'ok', text: 'Saved the policy runtime to your downloads.' }, noticeRef, testId: 'runtime-save-notice' }))).toBe(
      '<p tabindex="-1" class="notice" role="status" data-testid="runtime-save-notice">Saved the policy runtime to your downloads.</p>',
    );
    expect(renderToStaticMarkup(createElement(ActionNotice, { notice: { kind: 'error', text: 'run 3 has no policy' }, noticeRef, testId: 'export-notice' }))).toBe(
      '<p tabindex="-1" class="error" role="alert" data-testid="export-notice">run 3 has no policy</p>',
    );
  });

  it('shows nothing before any work, or while the next works', () => {
    expect(renderToStaticMarkup(createElement(ActionNotice, { notice: null, noticeRef, testId: 'export-notice' }))).toBe('');
  });
});
