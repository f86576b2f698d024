/**
 * Compiling one of the engine's WebAssembly kernels (built by scripts/build-wasm.mjs into
 * ./generated as base64): the module, and for a kernel whose memory the host lays out, the first
 * byte of that memory the host may use (the kernel's `heapBase` export, past its static data), or
 * why it cannot run here, so that the caller takes its JavaScript path. It fails where the kernel
 * was not built, where WebAssembly (or its SIMD) is missing, where a CSP forbids it, or on
 * Chromium's main thread, which refuses synchronous compiles of some sizes.
 */
export interface CompiledModule {
  readonly module: WebAssembly.Module;
}

export interface CompiledKernel extends CompiledModule {
  readonly heapBase: number;
}

export interface CompileOptions {
  /** What the kernel imports besides its memory (`env.abort` for some). */
  readonly imports?: Record<string, unknown>;
  /**
   * False for a kernel that allocates its own memory and has no `heapBase` export (the tabular
   * one): it is only compiled, not instantiated to read one.
   */
  readonly heapBase?: boolean;
}

/**
 * @param base64 the generated module, or null when it was not built
 * @param name the kernel's name in the reasons ("the <name> WebAssembly kernel …")
 */
export function compileKernel(base64: string | null, name: string, options?: CompileOptions & { readonly heapBase?: true }): CompiledKernel | string;
export function compileKernel(base64: string | null, name: string, options: CompileOptions & { readonly heapBase: false }): CompiledModule | string;
export function compileKernel(base64: string | null, name: string, { imports = {}, heapBase = true }: CompileOptions = {}): CompiledKernel | CompiledModule | string {
  if (base64 === null) return `the ${name} WebAssembly kernel was not built (AssemblyScript was not installed when the app was built)`;
  if (typeof WebAssembly === 'undefined') return 'this JavaScript runtime has no WebAssembly';
  try {
    const module = new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    if (!heapBase) return { module };
    const probe = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }), ...imports } });
    return { module, heapBase: (probe.exports as unknown as { heapBase(): number }).heapBase() };
  } catch (e) {
    return `the ${name} WebAssembly kernel does not run here (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** Bytes rounded up to 64 (a cache line), where the hosts place their arrays. */
export const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** A host's arrays placed one after another in its kernel's memory, from `start` on, each at a 64-byte boundary. */
export class MemoryLayout {
  private at: number;

  constructor(start: number) {
    this.at = align(start);
  }

  /** The address of `bytes` more, after what was taken before. */
  take(bytes: number): number {
    const start = this.at;
    this.at += align(bytes);
    return start;
  }

  /** The first byte after everything taken. */
  get end(): number {
    return this.at;
  }
}

/** A WebAssembly memory page. */
export const PAGE_BYTES = 65536;
