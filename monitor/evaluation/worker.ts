import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { WindowEvaluator } from './evaluate.ts';
import { OnlineRunner } from './online.ts';
import { oneLine } from '../one-line.ts';
import type { EvaluateMessage, OnlineMessage, OnlineRestoreMessage, ReferenceMessage, WorkerMemory, WorkerReply } from './types.ts';

/**
 * Worker-thread entry: drift tests run here so the event loop that ingests and proxies never
 * waits for a KS/MMD evaluation. Messages: `reference` (replace the reference), `evaluate`.
 */
const port = parentPort;
if (!port) throw new Error('monitor/evaluation/worker.ts must run in a worker thread');

let evaluator: WindowEvaluator | undefined;
let online: OnlineRunner | undefined;
let referenceError = 'no reference set received';

port.on('message', (msg: ReferenceMessage | EvaluateMessage | OnlineMessage | OnlineRestoreMessage | { type: 'online-reset' }) => {
  if (msg.type === 'reference') {
    // A refused reference leaves the previous one in force (the client only adopts accepted ones).
    let refused: WorkerReply | undefined;
    try {
      const nextEvaluator = new WindowEvaluator(msg);
      const nextOnline = new OnlineRunner(msg);
      evaluator = nextEvaluator;
      online?.close();
      online = nextOnline;
    } catch (err) {
      if (!evaluator) referenceError = `the reference set was rejected: ${oneLine(err)}`;
      refused = { type: 'reference', id: msg.id ?? 0, error: oneLine(err), stack: (err as Error)?.stack ?? String(err) };
    }
    if (msg.id !== undefined) port.postMessage(refused ?? { type: 'reference', id: msg.id });
    return;
  }
  if (msg.type === 'online-restore') {
    online?.restore(msg.state);
    return;
  }
  if (msg.type === 'online-reset') {
    online?.reset();
    return;
  }
  if (msg.type === 'online') {
    let reply: WorkerReply;
    try {
      if (!online) throw new Error(referenceError);
      reply = { type: 'online', id: msg.id, online: online.observe(msg) };
    } catch (err) {
      reply = { type: 'error', id: msg.id, message: oneLine(err), stack: (err as Error)?.stack ?? String(err) };
    }
    port.postMessage(reply);
    return;
  }
  let reply: WorkerReply;
  try {
    if (!evaluator) throw new Error(referenceError);
    reply = { type: 'result', id: msg.id, evaluation: evaluator.evaluate(msg), memory: workerMemory() };
  } catch (err) {
    reply = { type: 'error', id: msg.id, message: oneLine(err), stack: (err as Error)?.stack ?? String(err) };
  }
  port.postMessage(reply);
});

port.postMessage({ type: 'ready' } satisfies WorkerReply);

function workerMemory(): WorkerMemory {
  const h = getHeapStatistics();
  return { at: new Date().toISOString(), heapUsedBytes: h.used_heap_size, heapTotalBytes: h.total_heap_size, externalBytes: h.external_memory };
}
