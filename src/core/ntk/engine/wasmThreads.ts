import { Worker } from 'node:worker_threads';

/**
 * Int32 slots of the control block that the calling thread and its helpers share (in the WebAssembly memory,
 * below the heap): GENERATION counts posted tasks (helpers sleep on it), CLAIM packs the open task's tag
 * (low 16 bits of its generation), the next unclaimed part and the part count, DONE counts finished parts,
 * FAILED is set by a helper whose part threw, STOP asks helpers to exit.
 */
const GENERATION = 0;
const CLAIM = 1;
const DONE = 2;
const FAILED = 3;
const STOP = 4;
/** Parts run by helpers since the team started (diagnostics: shows that splitting happens). */
const HELPER_PARTS = 5;
/** Helpers asleep in Atomics.wait (the caller only pays for Atomics.notify when one is). */
const SLEEPING = 6;
const CONTROL_SLOTS = 16;
/** Slots of the task descriptor that follows the control block (layout: wasm/kernels/parallel.ts). */
export const TASK_SLOTS = 32;
/** Bytes the control block and the task descriptor take. */
export const TEAM_BYTES = (CONTROL_SLOTS + TASK_SLOTS) * 4;
/** CLAIM keeps the part index and count in 8 bits each. */
export const MAX_PARTS = 255;
/**
 * Polls of a shared word before a thread sleeps in Atomics.wait: about 100 us (one Atomics.load costs about 20 ns
 * in Node 20 here). The next split call usually follows within that (the per-sample weight-gradient GEMMs come
 * every few hundred microseconds) and waking a sleeping thread costs tens of microseconds; spinning longer
 * would take a core from other processes.
 */
const SPIN_POLLS = 5_000;

/**
 * The helper thread's whole program, run by `new Worker(..., { eval: true })`: a source string rather than a
 * module file so that it works the same from the esbuild bundle (dist/ntk-worker.js) and from TypeScript run by
 * tsx (tests, bench), with nothing to resolve at run time. It instantiates the same module on the same shared
 * memory and runs parts of posted tasks until told to stop. Claiming a part is a compare-exchange on CLAIM that
 * only succeeds while that task is open, so a helper that wakes late never touches a finished or a newer task.
 */
const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, task, spinPolls } = workerData;
const runPart = new WebAssembly.Instance(module, { env: { memory } }).exports.runPart;
const ctrl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
parentPort.postMessage('ready');
let seen = -1;
for (;;) {
  let generation = Atomics.load(ctrl, ${GENERATION});
  for (let i = 0; generation === seen && i < spinPolls; i++) generation = Atomics.load(ctrl, ${GENERATION});
  if (generation === seen) {
    // Announce the sleep before the wait, which itself re-checks the generation: a task posted in between is
    // either seen by the wait or finds SLEEPING set and notifies.
    Atomics.add(ctrl, ${SLEEPING}, 1);
    Atomics.wait(ctrl, ${GENERATION}, seen);
    Atomics.sub(ctrl, ${SLEEPING}, 1);
    continue;
  }
  seen = generation;
  if (Atomics.load(ctrl, ${STOP})) break;
  for (;;) {
    const word = Atomics.load(ctrl, ${CLAIM});
    const next = (word >>> 8) & 255;
    const parts = word & 255;
    if (word >>> 16 !== (generation & 0xffff) || next >= parts) break;
    if (Atomics.compareExchange(ctrl, ${CLAIM}, word, word + 256) !== word) continue;
    try {
      runPart(task, next);
    } catch {
      Atomics.store(ctrl, ${FAILED}, 1);
    }
    Atomics.add(ctrl, ${HELPER_PARTS}, 1);
    if (Atomics.add(ctrl, ${DONE}, 1) + 1 === parts) Atomics.notify(ctrl, ${DONE});
  }
}
`;

/** What a team needs: the compiled shared-memory module, its memory, and where the control block lives. */
export interface TeamSetup {
  readonly module: object;
  readonly memory: { readonly buffer: ArrayBufferLike };
  /** Byte address of {@link TEAM_BYTES} reserved bytes in the memory. */
  readonly address: number;
  /** The calling thread's instance's `runPart` export. */
  readonly runPart: (task: number, part: number) => void;
  /** Threads in all, the caller included (>= 2). */
  readonly threads: number;
}

/**
 * The calling thread plus `threads - 1` helper worker threads that split one kernel call's output between them
 * (the NTK engine's "one score on all cores"). `run` is synchronous: the caller writes the task descriptor
 * (`task` / `taskF` views), posts it, runs parts itself, and returns once every part is done. Parts are claimed
 * dynamically, so a helper that is still starting up (or descheduled) just leaves more parts to the caller.
 */
export class WasmThreadTeam {
  readonly threads: number;
  /** The task descriptor as int32 and float32 slots (same bytes). */
  readonly task: Int32Array;
  readonly taskF: Float32Array;
  private readonly control: Int32Array;
  private readonly taskAddress: number;
  private readonly runPart: (task: number, part: number) => void;
  private readonly helpers: Worker[] = [];
  private readonly started: Promise<void>;
  private generation = 0;
  private disposed = false;

  constructor(setup: TeamSetup) {
    this.threads = setup.threads;
    this.control = new Int32Array(setup.memory.buffer, setup.address, CONTROL_SLOTS);
    this.control.fill(0);
    this.taskAddress = setup.address + CONTROL_SLOTS * 4;
    this.task = new Int32Array(setup.memory.buffer, this.taskAddress, TASK_SLOTS);
    this.taskF = new Float32Array(setup.memory.buffer, this.taskAddress, TASK_SLOTS);
    this.runPart = setup.runPart;
    const starting: Promise<void>[] = [];
    try {
      for (let i = 1; i < setup.threads; i++) {
        const helper = new Worker(HELPER_SOURCE, {
          eval: true,
          workerData: {
            module: setup.module,
            memory: setup.memory,
            control: setup.address,
            task: this.taskAddress,
            spinPolls: SPIN_POLLS,
          },
        });
        // Helpers never keep a process alive (the CLI exits when its work is done; dispose() ends them too).
        helper.unref();
        // A helper that fails to start only leaves its parts to the caller; the error must not crash the process.
        helper.on('error', () => {});
        starting.push(
          new Promise<void>((resolve, reject) => {
            helper.once('message', () => resolve());
            helper.once('error', reject);
            helper.once('exit', (code) => reject(new Error(`helper thread exited (code ${code}) before it started`)));
          }),
        );
        this.helpers.push(helper);
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.started = Promise.all(starting).then(() => {});
    // Nobody may be awaiting `started`: a helper that fails to start only costs speed (the caller runs its parts).
    this.started.catch(() => {});
  }

  /** Resolves once every helper has instantiated the module (calls made earlier just run more parts here). */
  ready(): Promise<void> {
    return this.started;
  }

  /** Parts of split calls that helpers ran so far. */
  helperParts(): number {
    return Atomics.load(this.control, HELPER_PARTS);
  }

  /**
   * Runs parts 0..parts-1 of the task written into `task` on every thread; throws if a helper's part failed.
   * `wake`: whether the task is worth waking sleeping helpers for. Waking one costs tens of microseconds, and on
   * a busy machine the woken thread can preempt this one for much longer; a small task instead runs here alone
   * unless a helper is still polling from the previous one.
   */
  run(parts: number, wake = true): void {
    if (this.disposed) throw new Error("the NTK engine's helper threads were shut down");
    if (!(parts >= 1 && parts <= MAX_PARTS))
      throw new RangeError(`a split kernel call needs 1..${MAX_PARTS} parts, got ${parts}`);
    const c = this.control;
    this.generation = (this.generation + 1) & 0x3fffffff;
    const tag = this.generation & 0xffff;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, FAILED, 0);
    // Publishing CLAIM (a sequentially consistent store) also publishes the descriptor written before it.
    Atomics.store(c, CLAIM, (tag << 16) | parts);
    Atomics.store(c, GENERATION, this.generation);
    if (wake && Atomics.load(c, SLEEPING) > 0) Atomics.notify(c, GENERATION);
    for (;;) {
      const word = Atomics.load(c, CLAIM);
      const next = (word >>> 8) & 255;
      if (next >= parts) break;
      if (Atomics.compareExchange(c, CLAIM, word, word + 256) !== word) continue;
      try {
        this.runPart(this.taskAddress, next);
      } catch (e) {
        // Before the descriptor may be rewritten, no helper may still be inside this task: close it to further
        // claims, then wait for the parts already claimed.
        const claimed = this.close(tag, parts);
        Atomics.add(c, DONE, 1 + parts - claimed);
        this.await(parts);
        throw e;
      }
      Atomics.add(c, DONE, 1);
    }
    this.await(parts);
    if (Atomics.load(c, FAILED))
      throw new Error('an NTK engine helper thread failed while running its part of a kernel');
  }

  /** Waits until DONE reaches `parts`: polls first (the helpers' last parts usually end within that), then sleeps. */
  private await(parts: number): void {
    const c = this.control;
    for (let polls = 0; ; polls++) {
      const done = Atomics.load(c, DONE);
      if (done >= parts) return;
      if (polls >= SPIN_POLLS) Atomics.wait(c, DONE, done);
    }
  }

  /** Marks every part of the open task claimed; returns how many had been claimed before. */
  private close(tag: number, parts: number): number {
    for (;;) {
      const word = Atomics.load(this.control, CLAIM);
      const next = (word >>> 8) & 255;
      if (Atomics.compareExchange(this.control, CLAIM, word, (tag << 16) | (parts << 8) | parts) === word) return next;
    }
  }

  /** Stops and terminates the helpers (idempotent); resolves once they have exited and released the memory. */
  dispose(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.disposed = true;
    Atomics.store(this.control, STOP, 1);
    Atomics.store(this.control, GENERATION, (this.generation + 1) & 0x3fffffff);
    Atomics.notify(this.control, GENERATION);
    const exited = Promise.all(this.helpers.map((h) => h.terminate())).then(() => {});
    this.helpers.length = 0;
    return exited;
  }
}
