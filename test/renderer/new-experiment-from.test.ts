// New experiment's from= (#/experiments/new?from=12): digits past 2^53 were read as 1e20 and asked
// about (a 400 in the browser's console, and the schema's words under the title); they name no
// experiment, and the line says so rather than that the value is no number.
import { describe, expect, it } from 'vitest';
import { fromProblem } from '../../src/renderer/src/screens/new-experiment';

describe('fromProblem', () => {
  it('says a number past 2^53 names no experiment', () => {
    expect(fromProblem('99999999999999999999')).toBe('This address names no experiment to start from: there is no experiment 99999999999999999999.');
  });

  it('says what from= takes for a value that is no number', () => {
    expect(fromProblem('abc')).toBe("This address names no experiment to start from: from= takes an experiment's number (#/experiments/new?from=12), got “abc”.");
  });
});
