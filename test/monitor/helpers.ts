import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../fixtures/servers/rng.ts';
import { readReferenceSet } from '../../monitor/state/reference-set.ts';
import { parseMonitorConfig, type MonitorConfigInput } from '../../monitor/config.ts';
import { createLogger } from '../../monitor/logger.ts';
import { startMonitor, type MonitorService, type StartOptions } from '../../monitor/service.ts';
import type { ReferenceModel } from '../../monitor/model.ts';
import type { Matrix } from '../../monitor/state/window.ts';

export const TOKENS = { viewer: 'viewer-token-123', ingest: 'ingest-token-456', admin: 'admin-token-789' } as const;
export const TOKEN_ENV = { VIGIL_VIEWER_TOKEN: TOKENS.viewer, VIGIL_INGEST_TOKEN: TOKENS.ingest, VIGIL_ADMIN_TOKEN: TOKENS.admin };

export function gaussianRows(n: number, d: number, seed: number, shift = 0): number[][] {
  const r = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal() + shift));
}

/** The rows of a dataset file (any format the monitor reads) as plain arrays. */
export function datasetRows(file: string): number[][] {
  const m = readReferenceSet(file).inputs;
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

export function writeReference(rows: number[][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-monitor-'));
  const file = join(dir, 'reference.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify({ features: r })).join('\n') + '\n');
  return file;
}

/** A JS stand-in for a 2-class linear classifier (softmax of two fixed projections). */
export function linearModel(d: number): ReferenceModel {
  return {
    path: 'linear.onnx', sha256: '0'.repeat(64), inputName: 'x', outputName: 'y', inputShape: ['batch', d], outputShape: ['batch', 2],
    inputDim: d, outputDim: 2, loadTimeMs: 0,
    async predict(m: Matrix): Promise<Matrix> {
      const out = new Float64Array(m.rows * 2);
      for (let i = 0; i < m.rows; i++) {
        let s = 0;
        for (let j = 0; j < m.cols; j++) s += (m.data[i * m.cols + j] as number) * (j % 2 === 0 ? 1 : -0.5);
        const p = 1 / (1 + Math.exp(-s));
        out[i * 2] = p;
        out[i * 2 + 1] = 1 - p;
      }
      return { data: out, rows: m.rows, cols: 2 };
    },
  };
}

export async function startTestMonitor(overrides: Partial<MonitorConfigInput> & { reference: string }, opts: StartOptions = {}): Promise<MonitorService> {
  const config = parseMonitorConfig({ port: 0, logLevel: 'silent', ...(overrides.model === undefined && opts.model ? { modelName: 'linear' } : {}), ...overrides });
  return startMonitor(config, { env: TOKEN_ENV, logger: createLogger('silent'), ...opts });
}

export async function call(url: string, init: { method?: string; token?: string; body?: unknown; raw?: string; contentType?: string } = {}): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.raw !== undefined || init.body !== undefined) {
    body = init.raw ?? JSON.stringify(init.body);
    headers['content-type'] = init.contentType ?? 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}
