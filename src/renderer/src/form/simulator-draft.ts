/** The New experiment draft the Off-policy screen's Train on these logs hands over: an experiment on the simulator it fitted. */
import type { Client } from '../../../shared/client';
import type { LogsSimulator } from '../../../shared/dto';
import { simulatorExperiment, type SimulatorSource } from '../../../engine/ope/simulator';
import { component, initialDraft, setAt, switchComponent, type Draft } from './draft';
import { mdpTarget, withFile } from './import';

/**
 * A New experiment draft on the simulator, as `aisle logs mdp --experiment` writes one
 * (simulatorExperiment: its name, description, agent, episodes and seeds), with the MDP inline in
 * the tabular-mdp environment, one decision per episode, and the rows fitted recorded (fittedTo,
 * with the fingerprint of this environment the service took: `sim.envHash`) for the policies
 * exported from it; the agent's other parameters at their defaults.
 */
export async function simulatorDraft(client: Client, sim: LogsSimulator, source: SimulatorSource): Promise<Draft> {
  const catalog = await client.call('catalog.get', {});
  const target = mdpTarget(catalog);
  if (!target) throw new Error('no environment in this version of Aisle takes an MDP');
  const check = () =>
    `Evaluate a policy learned here on the rows the fit held out: export it on the Policies screen, then on the Off-policy screen pick ${source.fileName} with the same rows and holdout, and add the policy as a target.`;
  const experiment = simulatorExperiment(source, sim, check);
  let draft = setAt(withFile(catalog, initialDraft(catalog), target, sim.mdp), ['env', 'maxSteps'], 1);
  const agent = catalog.agents.find((a) => a.id === experiment.agent.id);
  if (agent) {
    draft = switchComponent(draft, 'agent', agent, catalog.agents.find((a) => a.id === component(draft, 'agent').id));
    for (const [key, value] of Object.entries(experiment.agent)) if (key !== 'id') draft = setAt(draft, ['agent', key], value);
  }
  return { ...draft, name: experiment.name, description: experiment.description, episodes: experiment.episodes, seeds: experiment.seeds, fittedTo: experiment.fittedTo };
}
