/**
 * The names of the pushed events, in a module without zod so the renderer can import it without
 * bundling the schemas (the renderer only needs the contract's types).
 */
import type { EventName } from './contract';

/** Every event of the contract, by type: the browser mode listens only to the names listed here. */
const NAMES: { readonly [E in EventName]: true } = { 'run.status': true, 'run.progress': true, 'run.storage': true, 'experiments.changed': true, 'policies.changed': true, 'logs.progress': true };

export const EVENT_NAMES = Object.keys(NAMES) as readonly EventName[];
