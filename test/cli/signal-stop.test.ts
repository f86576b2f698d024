// The stop signals' one behaviour, which `aisle run`, `resume`, `ope` and `results export`/`import`
// share: the first Ctrl-C (SIGTERM, SIGHUP) stops the work and may say so, a second quits at once
// with 128 + its number (or by the signal itself), a hangup or a lost reader mutes the output, and
// dispose leaves no handler behind. The signals are emitted on this process (no real signal is sent:
// process.exit and process.kill are stubbed), the test runner's own handlers set aside meanwhile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onStopSignals, REPEAT_WINDOW_MS, signalExitCode, signalName, STOP_SIGNALS, type SignalStop } from '../../src/cli/signal-stop';

type Listener = (...args: unknown[]) => void;
const streams = [process.stdout, process.stderr] as const;
let savedSignals: Listener[][];
let savedErrors: Listener[][];
let written: string[];
let exit: ReturnType<typeof vi.fn>;
let kill: ReturnType<typeof vi.fn>;
let stopper: SignalStop | undefined;

beforeEach(() => {
  savedSignals = STOP_SIGNALS.map((s) => process.listeners(s) as Listener[]);
  for (const s of STOP_SIGNALS) process.removeAllListeners(s);
  savedErrors = streams.map((stream) => stream.listeners('error') as Listener[]);
  written = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  exit = vi.fn();
  kill = vi.fn(() => true);
  vi.spyOn(process, 'exit').mockImplementation(exit as unknown as typeof process.exit);
  vi.spyOn(process, 'kill').mockImplementation(kill as unknown as typeof process.kill);
});

afterEach(() => {
  stopper?.dispose();
  stopper = undefined;
  vi.restoreAllMocks();
  for (const [i, s] of STOP_SIGNALS.entries()) {
    process.removeAllListeners(s);
    for (const l of savedSignals[i]!) process.on(s, l);
  }
  for (const [i, stream] of streams.entries()) {
    stream.removeAllListeners('error');
    for (const l of savedErrors[i]!) stream.on('error', l);
  }
});

const signal = (s: NodeJS.Signals) => process.emit(s, s);
const writeError = (stream: NodeJS.WriteStream, code: string) => stream.emit('error', Object.assign(new Error(code), { code }));

describe('onStopSignals', () => {
  it.each(STOP_SIGNALS)('stops at a first %s, after saying so, and does not end the process', (s) => {
    const calls: string[] = [];
    stopper = onStopSignals({ say: (sig) => `\n${signalName(sig)}: stopping… (again to quit at once)\n`, stop: (sig) => calls.push(`stop ${sig}, said ${written.length}`) });
    expect(stopper.stoppedBy).toBeUndefined();
    signal(s);
    expect(stopper.stoppedBy).toBe(s);
    expect(written).toEqual([`\n${s === 'SIGINT' ? 'Ctrl-C' : s}: stopping… (again to quit at once)\n`]);
    expect(calls).toEqual([`stop ${s}, said 1`]);
    expect(exit).not.toHaveBeenCalled();
    expect(kill).not.toHaveBeenCalled();
  });

  it('says nothing without say', () => {
    const stop = vi.fn();
    stopper = onStopSignals({ stop });
    signal('SIGTERM');
    expect(stop).toHaveBeenCalledWith('SIGTERM');
    expect(written).toEqual([]);
  });

  it('quits at a second signal with 128 + its number, after beforeQuit, without stopping again', () => {
    const order: string[] = [];
    const stop = vi.fn();
    exit.mockImplementation((code: number) => order.push(`exit ${code}`));
    stopper = onStopSignals({ stop, beforeQuit: (s) => order.push(`beforeQuit ${s}`) });
    signal('SIGINT');
    expect(order).toEqual([]);
    signal('SIGTERM');
    expect(order).toEqual(['beforeQuit SIGTERM', 'exit 143']);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stopper.stoppedBy).toBe('SIGINT'); // the first signal is the one the command exits with if it gets there
    expect(kill).not.toHaveBeenCalled();
  });

  it('takes the first signal again within the repeat window as the same one, delivered twice (npx, timeout), and quits at it later', () => {
    let clock = 1_000;
    const stop = vi.fn();
    stopper = onStopSignals({ stop, now: () => clock });
    signal('SIGINT');
    // The terminal's Ctrl-C and npm's forwarded copy of it: one press, one clean stop.
    clock += 3;
    signal('SIGINT');
    clock += REPEAT_WINDOW_MS - 4;
    signal('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(1);
    // Pressed again once the line was read: quits at once.
    clock += 1;
    signal('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    stopper.dispose();

    // Another signal within the window is a second one; so is the first's copy after a SIGHUP the
    // lost terminal gave, which alone is the same stop.
    exit.mockClear();
    clock = 0;
    stopper = onStopSignals({ now: () => clock });
    signal('SIGTERM');
    signal('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    stopper.dispose();
    exit.mockClear();
    stopper = onStopSignals({ now: () => clock, lostOutput: true });
    writeError(process.stderr, 'EIO');
    signal('SIGHUP');
    expect(exit).not.toHaveBeenCalled();
  });

  it("with quit 'signal', ends the process by the second signal itself, its handlers (every one) removed first", () => {
    const order: string[] = [];
    kill.mockImplementation((pid: number, s: NodeJS.Signals) => {
      order.push(`kill ${pid} ${s}: ${STOP_SIGNALS.map((x) => process.listenerCount(x)).join(',')} listening`);
      return true;
    });
    process.on('SIGHUP', () => {}); // another's handler goes too: the default action must end the process
    stopper = onStopSignals({ beforeQuit: () => order.push('beforeQuit'), quit: 'signal' });
    signal('SIGHUP');
    signal('SIGINT');
    expect(order).toEqual(['beforeQuit', `kill ${process.pid} SIGINT: 0,0,0 listening`]);
    expect(exit).not.toHaveBeenCalled();
  });

  it('removes its handlers when disposed: a signal after it does nothing', () => {
    const before = STOP_SIGNALS.map((s) => process.listenerCount(s));
    const stop = vi.fn();
    const handlers = onStopSignals({ stop, lostOutput: true });
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before.map((n) => n + 1));
    const errors = streams.map((s) => s.listenerCount('error'));
    handlers.dispose();
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before);
    expect(streams.map((s) => s.listenerCount('error'))).toEqual(errors.map((n) => n - 1));
    signal('SIGINT');
    expect(stop).not.toHaveBeenCalled();
    expect(handlers.stoppedBy).toBeUndefined();
  });

  it('mutes stdout and stderr at a hangup (the terminal is gone), for good, and at no other signal', () => {
    const errors = streams.map((s) => s.listenerCount('error'));
    stopper = onStopSignals({});
    signal('SIGINT');
    expect(streams.map((s) => s.listenerCount('error'))).toEqual(errors);
    stopper.dispose();
    stopper = onStopSignals({});
    signal('SIGHUP');
    stopper.dispose();
    expect(streams.map((s) => s.listenerCount('error'))).toEqual(errors.map((n) => n + 1));
    for (const s of streams) s.removeAllListeners('error'); // only the mute's, as main's are set aside
    stopper = onStopSignals({});
    signal('SIGHUP');
    stopper.dispose();
    expect(() => writeError(process.stderr, 'EIO')).not.toThrow();
  });

  it('stops in silence when the output is lost (with lostOutput): EPIPE as SIGPIPE, EIO as SIGHUP, exit 141 and 129', () => {
    const stop = vi.fn();
    stopper = onStopSignals({ say: () => 'said\n', stop, lostOutput: true });
    writeError(process.stderr, 'ENOSPC'); // not a lost reader
    expect(stopper.stoppedBy).toBeUndefined();
    writeError(process.stdout, 'EPIPE');
    expect(stopper.stoppedBy).toBe('SIGPIPE');
    expect(stop).toHaveBeenCalledWith('SIGPIPE');
    expect(written).toEqual([]);
    expect(signalExitCode(stopper.stoppedBy!)).toBe(141);
    writeError(process.stderr, 'EIO'); // lost once is enough
    expect(stop).toHaveBeenCalledTimes(1);
    stopper.dispose();
    // Muted past dispose: a write failing once the command has ended does not end it again.
    expect(() => writeError(process.stdout, 'EPIPE')).not.toThrow();

    const hungUp = vi.fn();
    stopper = onStopSignals({ stop: hungUp, lostOutput: true });
    writeError(process.stderr, 'EIO');
    expect(stopper.stoppedBy).toBe('SIGHUP');
    expect(hungUp).toHaveBeenCalledWith('SIGHUP');
    // A signal after a lost output is the second: it quits at once.
    signal('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    stopper.dispose();

    // A lost output after a signal stops nothing again: the command exits with the signal's code.
    const stopped = vi.fn();
    stopper = onStopSignals({ stop: stopped, lostOutput: true });
    signal('SIGTERM');
    writeError(process.stdout, 'EPIPE');
    expect(stopper.stoppedBy).toBe('SIGTERM');
    expect(stopped).toHaveBeenCalledTimes(1);
  });

  it('leaves the output alone without lostOutput', () => {
    const errors = streams.map((s) => s.listenerCount('error'));
    stopper = onStopSignals({ stop: () => {} });
    expect(streams.map((s) => s.listenerCount('error'))).toEqual(errors);
  });
});

describe('signalExitCode and signalName', () => {
  it('gives 128 + the number, as a shell reports a process the signal ended, and Ctrl-C for SIGINT', () => {
    expect(STOP_SIGNALS.map(signalExitCode)).toEqual([130, 143, 129]);
    expect(signalExitCode('SIGPIPE')).toBe(141);
    expect(STOP_SIGNALS.map(signalName)).toEqual(['Ctrl-C', 'SIGTERM', 'SIGHUP']);
  });
});
