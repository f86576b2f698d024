/**
 * The names of the pushed events, in a module without zod so the renderer can import it without
 * bundling the schemas (the renderer only needs the contract's types).
 */
import type { EventName } from './contract';

export const EVENT_NAMES: readonly EventName[] = ['run.status', 'run.progress', 'experiments.changed'];
