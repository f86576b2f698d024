/**
 * A paused run's state as bytes (what the store keeps): a JSON header with the captured trees
 * (see state-tree.ts), the typed arrays they refer to, each 8-byte aligned and little-endian as the
 * platform is, and a CRC-32 of everything before it, so a checkpoint damaged on disk or edited by
 * hand is refused with one sentence rather than resumed into a run that silently differs.
 *
 *   "AISLERUN" | u32 format version | u32 header bytes | header (UTF-8 JSON) | pad to 8
 *   | array 0 | pad | array 1 | pad | … | u32 CRC-32 of all the bytes before it
 */
import type { StateNode, TypedArray } from './state-tree';

export const RUN_STATE_FORMAT = 1;
const MAGIC = 'AISLERUN';

/** What a paused run needs to continue: which run it was, where it stopped, and its state trees. */
export interface RunState {
  readonly envId: string;
  readonly agentId: string;
  readonly seed: number;
  /** Episodes the run was to play in all. */
  readonly episodes: number;
  /** Episodes played when the state was taken: the run continues at this episode. */
  readonly episode: number;
  /** The training loop's own counters (its summary sums, last 100 rows, snapshot position). */
  readonly loop: StateNode;
  readonly env: StateNode;
  readonly agent: StateNode;
  readonly blobs: readonly TypedArray[];
}

interface Header extends Omit<RunState, 'blobs'> {
  readonly blobs: readonly { readonly type: string; readonly length: number }[];
}

const TYPES: Readonly<Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => TypedArray>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
};

/** Thrown for bytes that are not a whole run state: the message names the part that is wrong. */
export class RunStateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStateFormatError';
  }
}

/**
 * The most bytes an agent's part of a run state may take: the store keeps a state as one database
 * value, and better-sqlite3 refuses one of 2^29 bytes (512 MiB) or more ("The bound string,
 * buffer, or bigint is too big"), which failed the run at its first autosave or its pause. 16 MiB
 * are left for the environment's state (~0.1 MB in the shop presets, 2.9 MB for a shop of 100,000
 * items with slates of 100: the shop itself is built again, not kept), the loop's and the header
 * (state labels included). Agents whose memory grows with their settings (DQN's replay, PPO's
 * rollout) refuse settings beyond it when the experiment is read.
 */
export const MAX_AGENT_STATE_BYTES = 2 ** 29 - 2 ** 24;

export function encodeRunState(state: RunState): Uint8Array {
  const { blobs, ...rest } = state;
  const header: Header = { ...rest, blobs: blobs.map((b) => ({ type: b.constructor.name, length: b.length })) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  let size = align(16 + json.length);
  const at: number[] = [];
  for (const b of blobs) {
    at.push(size);
    size = align(size + b.byteLength);
  }
  const bytes = new Uint8Array(size + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, RUN_STATE_FORMAT, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  blobs.forEach((b, i) => bytes.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at[i]!));
  view.setUint32(size, crc32(bytes.subarray(0, size)), true);
  return bytes;
}

export function decodeRunState(bytes: Uint8Array): RunState {
  if (bytes.length < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new RunStateFormatError('is not an Aisle run state (its first bytes are not "AISLERUN")');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end))) throw new RunStateFormatError('is damaged: its checksum does not match its bytes');
  const version = view.getUint32(8, true);
  if (version !== RUN_STATE_FORMAT) throw new RunStateFormatError(`has format ${version}, this Aisle reads format ${RUN_STATE_FORMAT}`);
  const headerBytes = view.getUint32(12, true);
  if (16 + headerBytes > end) throw new RunStateFormatError('is cut short: its header runs past its end');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerBytes))) as Header;
  } catch {
    throw new RunStateFormatError('has a header that is not JSON');
  }
  for (const field of ['envId', 'agentId'] as const) if (typeof header[field] !== 'string') throw new RunStateFormatError(`has no ${field}`);
  for (const field of ['seed', 'episodes', 'episode'] as const) if (!Number.isInteger(header[field])) throw new RunStateFormatError(`has no whole ${field}`);
  if (!Array.isArray(header.blobs)) throw new RunStateFormatError('has no list of arrays');
  // Copied out to an aligned buffer of their own: the bytes given may sit at any offset.
  const blobs: TypedArray[] = [];
  let at = align(16 + headerBytes);
  for (const [i, { type, length }] of header.blobs.entries()) {
    const Type = TYPES[type];
    if (Type === undefined || !Number.isInteger(length) || length < 0) throw new RunStateFormatError(`array ${i} has an unknown type "${type}" or length`);
    const byteLength = length * (Type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    if (at + byteLength > end) throw new RunStateFormatError(`is cut short: array ${i} runs past its end`);
    const copy = bytes.slice(at, at + byteLength);
    blobs.push(new Type(copy.buffer, 0, length));
    at = align(at + byteLength);
  }
  const { blobs: _layout, ...rest } = header;
  return { ...rest, blobs };
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zip and PNG use it). */
export function crc32(bytes: Uint8Array): number {
  const table = (crcTable ??= makeCrcTable());
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
