import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { testOutputDir } from '../helpers/cli.ts';
import { PREDICT_REQUESTS_YAML } from '../helpers/scenario.ts';

const require = createRequire(import.meta.url);
interface Family { name: string; type: string; metrics: { value?: string; labels?: Record<string, string> }[] }
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Family[];

/** Value of one series in a Prometheus text exposition, parsed by an independent parser. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const family = parsePrometheus(text).find((f) => f.name === name);
  const m = family?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
}

/** A fresh folder with a scenario file and a schedule config for a fixture server. */
export function writeSchedule(name: string, opts: { target: string; rate: number; duration: string; cron: string; lastN?: number; thresholds?: string[]; maxP99Increase?: string; capacity?: string[] }): { dir: string; config: string; history: string } {
  const dir = testOutputDir(name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'predict.yaml'), [
    `target: ${opts.target}`,
    ...PREDICT_REQUESTS_YAML,
    `rate: ${opts.rate}`,
    `duration: ${opts.duration}`,
    `thresholds: ${JSON.stringify(opts.thresholds ?? ['error_rate<1%'])}`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'schedule.yaml'), [
    'history: history',
    'listen: { port: 0 }',
    `baseline: { lastN: ${opts.lastN ?? 5} }`,
    `regression: { maxP99Increase: ${opts.maxP99Increase ?? '300%'}, maxQpsDecrease: 50% }`,
    'scenarios:',
    '  - name: predict',
    '    file: predict.yaml',
    `    cron: "${opts.cron}"`,
    '    model: fixture',
    ...(opts.capacity ? ['    capacity:', ...opts.capacity.map((l) => `      ${l}`)] : []),
    '',
  ].join('\n'));
  return { dir, config: join(dir, 'schedule.yaml'), history: join(dir, 'history') };
}
