import { parentPort } from 'node:worker_threads';
import { WindowEvaluator } from './evaluate.ts';
import { OnlineRunner } from './online.ts';
import type { EvaluateMessage, OnlineMessage, ReferenceMessage, WorkerReply } from './types.ts';

/**
 * Worker-thread entry: drift tests run here so the event loop that ingests and proxies never
 * waits for a KS/MMD evaluation. Messages: `reference` (replace the reference), `evaluate`.
 */
const port = parentPort;
if (!port) throw new Error('monitor/evaluation/worker.ts must run in a worker thread');

let evaluator: WindowEvaluator | undefined;
let online: OnlineRunner | undefined;
let referenceError = 'no reference set received';

port.on('message', (msg: ReferenceMessage | EvaluateMessage | OnlineMessage | { type: 'online-reset' }) => {
  if (msg.type === 'reference') {
    try {
      evaluator = new WindowEvaluator(msg);
      online?.close();
      online = new OnlineRunner(msg);
    } catch (err) {
      evaluator = undefined;
      online?.close();
      online = undefined;
      referenceError = `the reference set was rejected: ${(err as Error).message}`;
    }
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
      reply = { type: 'error', id: msg.id, message: (err as Error).stack ?? String(err) };
    }
    port.postMessage(reply);
    return;
  }
  let reply: WorkerReply;
  try {
    if (!evaluator) throw new Error(referenceError);
    reply = { type: 'result', id: msg.id, evaluation: evaluator.evaluate(msg) };
  } catch (err) {
    reply = { type: 'error', id: msg.id, message: (err as Error).stack ?? String(err) };
  }
  port.postMessage(reply);
});

port.postMessage({ type: 'ready' } satisfies WorkerReply);
