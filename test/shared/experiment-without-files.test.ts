// An experiment without its files (experiments.validate's reply with `withoutFiles`) is not an
// Experiment: passing it where a whole one is needed (to launch, to save) is a type error. Checked
// by `npm run typecheck`: were the two types to become assignable again, the @ts-expect-error
// lines below would be unused directives, an error, and the expectTypeOf checks would fail too.
import { describe, expectTypeOf, it } from 'vitest';
import type { Experiment } from '../../src/engine/experiment';
import type { ExperimentCheck, ExperimentWithoutFiles } from '../../src/shared/dto';

function launch(experiment: Experiment): string {
  return experiment.name;
}

function leftOut(experiment: ExperimentWithoutFiles): string {
  return experiment.name;
}

describe('ExperimentWithoutFiles', () => {
  it('is not an Experiment, and an Experiment is not one', () => {
    expectTypeOf<ExperimentWithoutFiles>().not.toExtend<Experiment>();
    expectTypeOf<Experiment>().not.toExtend<ExperimentWithoutFiles>();
    // Never called: the calls only have to be type-checked.
    const typeChecked = (withoutFiles: ExperimentWithoutFiles, whole: Experiment): string[] => [
      // @ts-expect-error an experiment without its files cannot be launched or saved as it is
      launch(withoutFiles),
      // @ts-expect-error nor is a whole experiment one without its files
      leftOut(whole),
      launch(whole),
      leftOut(withoutFiles),
    ];
    expectTypeOf(typeChecked).returns.toEqualTypeOf<string[]>();
  });

  it('is what a check of an experiment may give back, to be told apart before it is used whole', () => {
    const check = (reply: ExperimentCheck): Experiment | ExperimentWithoutFiles | undefined => (reply.ok ? reply.experiment : undefined);
    // @ts-expect-error the reply's experiment may lack its files
    const whole = (reply: ExperimentCheck & { ok: true }): Experiment => reply.experiment;
    expectTypeOf(check).returns.toEqualTypeOf<Experiment | ExperimentWithoutFiles | undefined>();
    expectTypeOf(whole).toBeFunction();
  });
});
