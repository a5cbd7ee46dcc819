import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import { createRng } from '../../fixtures/servers/rng.ts';
import { EXPECTED, type Expected } from '../models/exported-reference.ts';
import { call, startTestMonitor, TOKENS } from './helpers.ts';

/**
 * The monitor with exporter-shaped models: it starts, /v1/status shows what is fed and read and
 * the adaptation, deployed outputs computed independently (plain JS) give parity ok and an
 * outputs-drift stream, and a deployed model answering differently is caught by parity.
 */

interface Case {
  file: string;
  /** Reference/observation rows as objects keyed by feature name (the model's inputs plus extras). */
  row: (r: ReturnType<typeof createRng>) => Record<string, number>;
  /** The model's input order, to compute the expected answer. */
  modelColumns: string[];
  adaptation: string | null;
  scored: string;
  label?: string;
}

const iris = (r: ReturnType<typeof createRng>) => ({ f0: r.normal() * 1.5, f1: r.normal() * 1.5, f2: r.normal() * 1.5, f3: r.normal() * 1.5 });
const CASES: Case[] = [
  { file: 'sklearn-logreg-zipmap.onnx', row: iris, modelColumns: ['f0', 'f1', 'f2', 'f3'], adaptation: 'output_probability', scored: 'output_probability', label: 'output_label' },
  { file: 'lightgbm-trees-zipmap.onnx', row: iris, modelColumns: ['f0', 'f1', 'f2', 'f3'], adaptation: 'probabilities', scored: 'probabilities', label: 'label' },
  { file: 'sklearn-logreg.onnx', row: iris, modelColumns: ['f0', 'f1', 'f2', 'f3'], adaptation: null, scored: 'output_probability', label: 'output_label' },
  { file: 'float64-regressor.onnx', row: iris, modelColumns: ['f0', 'f1', 'f2', 'f3'], adaptation: null, scored: 'variable' },
  {
    file: 'pipeline-numeric.onnx',
    // Reference columns in another order than the inputs, plus one no input takes.
    row: (r) => ({ visits: Math.floor(r.next() * 6), tenure: r.next() * 10, income: 3 + r.normal(), age: 40 + 10 * r.normal() }),
    modelColumns: ['age', 'income', 'visits'], adaptation: null, scored: 'variable',
  },
];

function writeJsonl(rows: readonly Record<string, number>[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-exported-')), 'reference.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

for (const c of CASES) {
  test(`${c.file}: the monitor starts, shows the adaptation, parity holds on independent outputs and catches a different answer`, async () => {
    const rng = createRng(1700);
    const reference = writeJsonl(Array.from({ length: 60 }, () => c.row(rng)));
    const svc = await startTestMonitor({ reference, model: join(MODELS_DIR, c.file), minSamples: 10, evaluateEvery: 100_000 });
    try {
      const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { model: Record<string, unknown> };
      assert.equal(status.model.outputName, c.scored);
      assert.equal((status.model.labelOutput as { name: string } | null)?.name, c.label);
      const adaptations = status.model.adaptations as { kind: string; output: string }[];
      assert.deepEqual(adaptations.map((a) => `${a.kind}:${a.output}`), c.adaptation ? [`zipmap:${c.adaptation}`] : []);
      const inputs = status.model.inputs as { name: string; features: string[] }[];
      assert.deepEqual(inputs.flatMap((i) => i.features), c.modelColumns);

      const rows = Array.from({ length: 40 }, () => c.row(rng));
      const expected = rows.map((r) => (EXPECTED[c.file] as (x: number[]) => Expected)(c.modelColumns.map((k) => r[k] as number)));
      const outputs = expected.map((e) => [...e.scores]);
      const labels = expected.every((e) => e.label !== undefined) ? expected.map((e) => e.label as number) : undefined;
      const ingest = (outs: number[][], deployedLabels = labels) => call(`${svc.url}/v1/observations`, {
        method: 'POST', token: TOKENS.ingest, body: { inputs: rows, outputs: outs, ...(deployedLabels ? { labels: deployedLabels } : {}) },
      });
      assert.equal((await ingest(outputs)).status, 200);
      const same = await svc.engine.evaluate();
      assert.equal(same?.parity?.samples, 40);
      assert.ok((same?.parity?.maxAbsDiff ?? 1) <= 1e-4, `max |diff| ${same?.parity?.maxAbsDiff}`);
      assert.equal(same?.parity?.degraded, false);
      assert.deepEqual(same?.parity?.labels, labels ? { samples: 40, mismatches: 0, agreementRatio: 1 } : undefined);
      assert.ok(same?.outputs, 'an outputs-drift stream');

      if (labels) {
        // Right probabilities, but the label of a different class on one row: exact label parity catches it.
        await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
        assert.equal((await ingest(outputs, labels.map((l, i) => (i === 7 ? (l + 1) % 3 : l)))).status, 200);
        const oneLabel = await svc.engine.evaluate();
        assert.ok((oneLabel?.parity?.maxAbsDiff ?? 1) <= 1e-4);
        assert.deepEqual(oneLabel?.parity?.labels, { samples: 40, mismatches: 1, agreementRatio: 39 / 40 });
        assert.equal(oneLabel?.parity?.degraded, true);
        const notInt = await ingest(outputs, labels.map((l, i) => (i === 3 ? l + 0.5 : l)));
        assert.equal((notInt.json as { code: string }).code, 'VIGIL_MONITOR_BAD_BODY', 'an int64 label must be a whole number');
      } else {
        const refused = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows, labels: rows.map(() => 0) } });
        assert.equal((refused.json as { code: string }).code, 'VIGIL_MONITOR_BAD_BODY', 'labels for a model without a label output');
      }

      await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
      // A deployed model that answers differently: classifiers put the probabilities of the next class; regressors are off by 0.01.
      const wrong = outputs.map((o) => (o.length > 1 ? o.map((_, k) => o[(k + 1) % o.length] as number) : [(o[0] as number) + 0.01]));
      assert.equal((await ingest(wrong)).status, 200);
      const off = await svc.engine.evaluate();
      assert.equal(off?.parity?.degraded, true);
    } finally {
      await svc.close();
    }
  });
}

test('a multi-input model refuses to start when the reference set lacks an input\'s feature, naming it', async () => {
  const rng = createRng(5);
  const reference = writeJsonl(Array.from({ length: 20 }, () => ({ age: rng.normal(), income: rng.normal() })));
  await assert.rejects(startTestMonitor({ reference, model: join(MODELS_DIR, 'pipeline-numeric.onnx') }), (err: unknown) => {
    assert.equal((err as { code?: string }).code, 'VIGIL_MONITOR_REFERENCE_INVALID');
    assert.match((err as Error).message, /no feature visits/);
    return true;
  });
});

test('a model with a string input is refused by the monitor when its reference feature is numeric, naming the input and why', async () => {
  const rng = createRng(6);
  const reference = writeJsonl(Array.from({ length: 20 }, () => ({ age: rng.normal(), income: rng.normal(), city: 0 })));
  await assert.rejects(startTestMonitor({ reference, model: join(MODELS_DIR, 'pipeline-mixed.onnx') }), (err: unknown) => {
    assert.equal((err as { code?: string }).code, 'VIGIL_MONITOR_MODEL_UNSUPPORTED');
    assert.match((err as Error).message, /input city is tensor\(string\)\[N, 1\]: string \(categorical\) inputs need categorical features/);
    return true;
  });
});
