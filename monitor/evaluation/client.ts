import { Worker } from 'node:worker_threads';
import type { OnlineResumeState } from '../drift/online.ts';
import type { EvaluateMessage, Evaluation, OnlineMessage, OnlineReport, OnlineRestoreMessage, ReferenceMessage, WorkerMemory, WorkerReply } from './types.ts';

/** The worker entry: worker.ts from the sources, worker.js when vigil runs compiled (dist/). */
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_URL = new URL(COMPILED ? './worker.js' : './worker.ts', import.meta.url);

/**
 * How the worker starts. Module hooks registered in the main thread (bin/vigil-dev.js registers tsx)
 * are not inherited by workers on Node 20, and `--import` in a worker's execArgv is not applied
 * either, so a small bootstrap registers tsx inside the worker, then imports the .ts entry.
 * Both are imported by absolute URL, so this works whatever the working directory.
 */
function bootstrapSource(): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `(async () => { const { register } = await import(${tsx}); register(); await import(${JSON.stringify(WORKER_URL.href)}); })()
  .catch((err) => { throw err; });`;
}

/**
 * Main-thread side of the evaluation worker: one long-lived worker, one evaluation at a time
 * (callers queue through `EvaluationScheduler`). If the worker dies it is restarted on the next call.
 */
export class EvaluationClient {
  private worker: Worker | undefined;
  private reference: ReferenceMessage | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (e: Evaluation) => void; reject: (err: Error) => void }>();
  private readonly pendingOnline = new Map<number, { resolve: (o: OnlineReport) => void; reject: (err: Error) => void }>();
  private readonly pendingReferences = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private closed = false;
  /** The worker's heap after its last evaluation (undefined before the first). */
  memory: WorkerMemory | undefined;

  /**
   * Sends (or replaces) the reference and resolves once the worker has built its tests on it;
   * rejects with the worker's one-line reason if it cannot (the previous reference stays in force).
   * The accepted one is kept so a restarted worker gets it again.
   */
  setReference(msg: ReferenceMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('evaluation worker closed'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pendingReferences.set(id, {
        resolve: () => { this.reference = msg; resolve(); },
        reject,
      });
      worker.postMessage({ ...msg, id } satisfies ReferenceMessage);
    });
  }

  evaluate(msg: Omit<EvaluateMessage, 'type' | 'id'>): Promise<Evaluation> {
    if (this.closed) return Promise.reject(new Error('evaluation worker closed'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, type: 'evaluate', id } satisfies EvaluateMessage);
    });
  }

  /** Feeds observed rows to the online detector (in order with evaluations); resolves with its state. */
  observeOnline(msg: Omit<OnlineMessage, 'type' | 'id'>): Promise<OnlineReport> {
    if (this.closed) return Promise.reject(new Error('evaluation worker closed'));
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pendingOnline.set(id, { resolve, reject });
      worker.postMessage({ ...msg, type: 'online', id } satisfies OnlineMessage);
    });
  }

  /** Restarts the online detector's stream (POST /v1/reset). */
  resetOnline(): void {
    this.worker?.postMessage({ type: 'online-reset' });
  }

  /** Hands a persisted detector state to the worker (--state-dir); batches sent after it are absorbed after it. */
  restoreOnline(state: OnlineResumeState): void {
    this.ensureWorker().postMessage({ type: 'online-restore', state } satisfies OnlineRestoreMessage);
  }

  /** Thread id of the worker (tests check evaluations really run off the main thread). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('evaluation worker closed'));
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = COMPILED ? new Worker(WORKER_URL, { execArgv: [] }) : new Worker(bootstrapSource(), { eval: true, execArgv: [] });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return;
      if (reply.type === 'reference') {
        const r = this.pendingReferences.get(reply.id);
        this.pendingReferences.delete(reply.id);
        if (reply.error === undefined) r?.resolve();
        else r?.reject(Object.assign(new Error(reply.error), { stack: reply.stack ?? reply.error }));
        return;
      }
      const o = this.pendingOnline.get(reply.id);
      if (o) {
        this.pendingOnline.delete(reply.id);
        if (reply.type === 'online') o.resolve(reply.online);
        else o.reject(new Error(reply.type === 'error' ? reply.message : `unexpected ${reply.type} reply`));
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.type === 'result') {
        if (reply.memory) this.memory = reply.memory;
        p.resolve(reply.evaluation);
      }
      else if (reply.type === 'error') p.reject(Object.assign(new Error(reply.message), { stack: reply.stack ?? reply.message }));
      else p.reject(new Error(`unexpected ${reply.type} reply`));
    });
    const onDeath = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(err);
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => { if (!this.closed) onDeath(new Error(`evaluation worker exited with code ${code}`)); });
    this.worker = worker;
    if (this.reference) worker.postMessage(this.reference);
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const p of this.pendingOnline.values()) p.reject(err);
    this.pendingOnline.clear();
    for (const p of this.pendingReferences.values()) p.reject(err);
    this.pendingReferences.clear();
  }
}
