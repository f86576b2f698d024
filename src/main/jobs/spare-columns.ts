/**
 * Column buffers for a MetricBatcher to collect into again, rather than fresh memory at every
 * batch. Fresh memory is what made a worker's batching cost: the page faults of a new buffer cost
 * ~2.5 ns a value on these VMs, several times the copy into it, and a worker hands every batch's
 * buffers to the pool (transferred, not copied), so each batch used to start in new ones (~3 ms of
 * a 100k-episode seed-toy run on the WebAssembly kernel, measured in the worker: ~2.8 % of it).
 *
 * The pool gives a batch's buffers back once it has written them (JobPool, through a MessagePort
 * of their own), and the worker takes them from that port without waiting, between two of the
 * kernel's chunks, with receiveMessageOnPort: a worker's event loop does not turn while it trains.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/**
 * At most this many buffers, and bytes, are kept: past either, the smallest go. A seed-toy run on
 * the kernel has ~1.5 MB of columns in a batch and two or three batches on their way; slower runs'
 * batches are far smaller. So an idle worker holds at most 8 MB it could give back to the system.
 */
const MOST_KEPT = 32;
const MOST_BYTES = 8 * 1024 * 1024;

export class SpareColumns {
  private readonly spare: ArrayBuffer[] = [];
  private bytes = 0;

  /** `returned`: where buffers given back from another thread arrive (messages of ArrayBuffer[]). */
  constructor(private readonly returned?: MessagePort) {}

  /** A column of at least `length` values: a spare buffer whole (the smallest that holds them), or a new one. */
  take(length: number): Float32Array {
    this.collect();
    const bytes = 4 * length;
    let at = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const size = this.spare[i]!.byteLength;
      if (size >= bytes && (at < 0 || size < this.spare[at]!.byteLength)) at = i;
    }
    if (at < 0) return new Float32Array(length);
    return new Float32Array(this.remove(at));
  }

  /** Keeps `buffer` for a later take (a detached or empty one is ignored; see MOST_KEPT for the bounds). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength < 4) return;
    this.spare.push(buffer);
    this.bytes += buffer.byteLength;
    while (this.spare.length > MOST_KEPT || this.bytes > MOST_BYTES) {
      let smallest = 0;
      for (let i = 1; i < this.spare.length; i++) if (this.spare[i]!.byteLength < this.spare[smallest]!.byteLength) smallest = i;
      this.remove(smallest);
    }
  }

  /** How many buffers are kept, and their bytes (for tests). */
  get kept(): { buffers: number; bytes: number } {
    this.collect();
    return { buffers: this.spare.length, bytes: this.bytes };
  }

  private remove(at: number): ArrayBuffer {
    const buffer = this.spare[at]!;
    this.spare[at] = this.spare[this.spare.length - 1]!;
    this.spare.pop();
    this.bytes -= buffer.byteLength;
    return buffer;
  }

  private collect(): void {
    if (!this.returned) return;
    for (let got = receiveMessageOnPort(this.returned); got; got = receiveMessageOnPort(this.returned)) {
      for (const buffer of got.message as ArrayBuffer[]) this.give(buffer);
    }
  }
}

/**
 * Gives a written batch's column buffers back to the worker that filled them (each once: columns
 * may share a buffer). Detached buffers (given already) are skipped.
 */
export function giveBackColumns(port: MessagePort, columns: readonly (Float32Array | Float64Array)[]): void {
  const buffers = [...new Set(columns.map((c) => c.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
  if (buffers.length === 0) return;
  try {
    port.postMessage(buffers, buffers);
  } catch {
    // The worker is gone (its port closed): the buffers are garbage, as they were before.
  }
}
