// `--where` (aisle ope, aisle logs mdp) and `--target logs:`: column=value pairs, several in one
// option separated by commas, values that hold commas, quoted values, and the refusals.
import { describe, expect, it } from 'vitest';
import { parseWhere } from '../../src/cli/ope';
import { ValidationError } from '../../src/engine/params';

const where = (...specs: string[]) => ({ ...parseWhere(specs, '--where') });

describe('parseWhere', () => {
  it('takes pairs from repeated options and from commas within one, trimmed', () => {
    expect(where('policy=random,campaign=men')).toEqual({ policy: 'random', campaign: 'men' });
    expect(where('policy=random', ' campaign = men ')).toEqual({ policy: 'random', campaign: 'men' });
    expect(where('policy=random, campaign=men')).toEqual({ policy: 'random', campaign: 'men' });
  });

  it('keeps a comma in a value when no column= follows it, and takes a quoted value as it is', () => {
    expect(where('title=socks, wool')).toEqual({ title: 'socks, wool' });
    expect(where('title=socks, wool,policy=random')).toEqual({ title: 'socks, wool', policy: 'random' });
    expect(where('title="a=b, c=d",policy=random')).toEqual({ title: 'a=b, c=d', policy: 'random' });
    expect(where('title="say ""hi"""')).toEqual({ title: 'say "hi"' });
    expect(where('empty=')).toEqual({ empty: '' });
  });

  it('refuses what is not column=value, and a column given two values, naming the option', () => {
    expect(() => where('policy')).toThrow(ValidationError);
    expect(() => where('policy')).toThrow('--where: "policy" is not column=value (e.g. policy=random)');
    expect(() => where('=men')).toThrow('--where: "=men" is not column=value');
    expect(() => where('policy=random', 'policy=bts')).toThrow('--where: column "policy" is given twice (random and bts): a row has one value');
    expect(where('policy=random', 'policy=random')).toEqual({ policy: 'random' });
  });
});
