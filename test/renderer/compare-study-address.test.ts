// Compare's study= (the setting on the parameter study's x axis) that the comparison cannot read:
// study=zzz, or any study of groups that have none, was dropped unsaid and the study's own choice
// drawn, where window=50.4, band=, y= and pair=no are named in the line above the screen. It is
// named as they are, with the settings it takes and what is on the axis instead.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { COMPARE_VALUE_KEYS } from '../../src/renderer/src/screens/compare';
import { studyValueKey } from '../../src/renderer/src/components/parameter-study';
import type { ParameterStudy } from '../../src/shared/parameter-study';

const q = (s: string) => new URLSearchParams(s);
const studyOf = (xChoices: string[]) => ({ x: xChoices[0]!, xChoices }) as unknown as ParameterStudy;
const line = (address: string, study: ParameterStudy | null) => unreadIds(q(address), {}, { ...COMPARE_VALUE_KEYS, study: studyValueKey(study) });

describe('Compare names a study= it does not read', () => {
  it('a setting the sweep does not vary is named, with the settings it varies and the one on the x axis instead', () => {
    const sweep = studyOf(['agent.alpha', 'agent.epsilon']);
    expect(line('experiments=1&study=zzz', sweep)).toBe(
      'Left out of this address: study=zzz (“zzz” is not a setting this sweep varies over 3 values or more: study takes one of agent.alpha, agent.epsilon, such as study=agent.epsilon; agent.alpha is on the x axis instead).',
    );
    // The short name the axis shows is not the setting's path.
    expect(line('experiments=1&study=epsilon', sweep)).toContain('study=epsilon (“epsilon” is not a setting this sweep varies');
    for (const raw of ['agent.alpha', 'agent.epsilon']) expect(line(`experiments=1&study=${raw}`, sweep)).toBeNull();
    expect(line('experiments=1', sweep)).toBeNull();
    expect(line('experiments=1&study=', sweep)).toBeNull();
  });

  it('with one setting to put on x, it names that one', () => {
    expect(line('experiments=1&study=agent.gamma', studyOf(['agent.alpha']))).toBe(
      'Left out of this address: study=agent.gamma (“agent.gamma” is not a setting this sweep varies over 3 values or more: study takes agent.alpha, the one setting it varies over 3 values or more, such as study=agent.alpha; it is on the x axis instead).',
    );
  });

  it('a comparison without a parameter study says it has none, whatever study= names', () => {
    for (const raw of ['zzz', 'agent.alpha']) {
      expect(line(`experiments=1&study=${raw}`, null)).toBe(
        `Left out of this address: study=${raw} (“${raw}” is not a setting of this comparison’s parameter study: study takes the setting on a parameter study’s x axis, and these groups have none (their configs would differ in one or two settings, one a number with 3 values or more in every group, on a grid): no study is drawn).`,
      );
    }
  });
});
