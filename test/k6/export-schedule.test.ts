/**
 * Every shape `vigil load export-k6` writes, run through a simulation of k6's executors, sends the
 * same arrivals at the same times as vigil's own run of the scenario: in the warm-up, in the
 * measured part, and in total (a warm-up must not repeat the stages: the bug this guards).
 *
 * The simulation is written from k6's documentation, independently of vigil's schedules: an
 * arrival-rate executor starts iteration i when the integral of its rate (integrated here
 * numerically, 0.1 ms steps) reaches i; a VU executor keeps its VUs busy from startTime for its duration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportK6 } from '../../load/k6/index.ts';
import { resolveLoadOptions, type LoadOptions } from '../../load/index.ts';
import { constantSchedule, stagesSchedule } from '../../load/schedule.ts';
import { testOutputDir } from '../helpers/cli.ts';

const dir = join(testOutputDir('k6-export-schedule'));
mkdirSync(dir, { recursive: true });

type Scenario = Record<string, unknown> & { executor: string; startTime?: string };

function optionsOf(script: string): { scenarios: Record<string, Scenario> } {
  const m = /export const options: Options = (\{[\s\S]*?\n\});/.exec(script);
  assert.ok(m, 'options block');
  return JSON.parse(m[1] as string);
}

/** k6 duration text → ms (`1m30s`, `250ms`, `2.5s`). */
function ms(text: unknown): number {
  let total = 0;
  for (const m of String(text).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return total;
}

/** Arrival times (ms since the test's start) of an arrival-rate scenario, by numeric integration of its rate. */
function k6Arrivals(s: Scenario): number[] {
  const start = ms(s.startTime ?? '0s');
  const unit = ms(s.timeUnit ?? '1s') / 1000;
  let pieces: { d: number; r0: number; r1: number }[];
  if (s.executor === 'constant-arrival-rate') pieces = [{ d: ms(s.duration), r0: Number(s.rate) / unit, r1: Number(s.rate) / unit }];
  else if (s.executor === 'ramping-arrival-rate') {
    let r = Number(s.startRate) / unit;
    pieces = (s.stages as { duration: string; target: number }[]).map((st) => { const p = { d: ms(st.duration), r0: r, r1: st.target / unit }; r = st.target / unit; return p; });
  } else throw new Error(`not an arrival-rate executor: ${s.executor}`);
  const out: number[] = [];
  const step = 0.1;
  let integral = 0;
  let t = 0;
  for (const p of pieces) {
    for (let x = 0; x < p.d - 1e-9; x += step) {
      const rate = p.r0 + ((p.r1 - p.r0) * (x + step / 2)) / p.d;
      while (integral <= out.length && integral + rate * step / 1000 > out.length) out.push(start + t + x); // iteration i starts when ∫ reaches i
      integral += (rate * step) / 1000;
    }
    t += p.d;
  }
  return out;
}

/** vigil's own arrivals: the engine's schedule, cut where the engine stops sending. */
function vigilArrivals(o: LoadOptions): number[] {
  const schedule = o.model === 'open' ? constantSchedule(o.rate as number) : stagesSchedule(o.stages ?? [], o.startRate ?? 0);
  const end = Math.min(o.durationMs !== undefined ? o.warmupMs + o.durationMs : Infinity, schedule.lengthMs);
  const out: number[] = [];
  let measured = 0;
  for (let i = 0; ; i++) {
    const at = schedule.at(i);
    if (at === undefined || at >= end) break;
    if (at >= o.warmupMs) { if (o.requests !== undefined && measured >= o.requests) break; measured++; }
    out.push(at);
  }
  return out;
}

const count = (xs: number[], from: number, to: number): number => xs.filter((x) => x >= from && x < to).length;

const SHAPES: [string, string][] = [
  ['constant rate', 'rate: 20\nduration: 3s'],
  ['constant rate + warmup', 'rate: 20\nwarmup: 1s\nduration: 2s'],
  ['constant rate, a request count', 'rate: 20\niterations: 30'],
  ['stages', 'stages: [{ duration: 2s, target: 10 }, { duration: 2s, target: 30 }, { duration: 1s, target: 0 }]'],
  ['stages + warmup', 'stages: [{ duration: 2s, target: 10 }, { duration: 2s, target: 30 }, { duration: 1s, target: 0 }]\nwarmup: 1500ms'],
  ['stages + warmup + duration (cut inside a ramp)', 'stages: [{ duration: 2s, target: 10 }, { duration: 2s, target: 30 }, { duration: 1s, target: 0 }]\nwarmup: 1s\nduration: 2500ms'],
  ['stages + duration', 'stages: [{ duration: 2s, target: 40 }, { duration: 2s, target: 40 }]\nduration: 3s'],
  ['stages from a start rate + warmup', 'startRate: 5\nstages: [{ duration: 4s, target: 25 }]\nwarmup: 2s'],
];

test('every arrival-rate export shape: k6 sends what vigil sends, in the warm-up and the measured part (k6 simulation)', () => {
  for (const [name, yaml] of SHAPES) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, `target: http://127.0.0.1:8080\n${yaml}\n`);
    const o = resolveLoadOptions({ scenarioFile: file });
    const { scenarios } = optionsOf(exportK6(o, { from: file, dataFile: 'x.json', replay: false }).script);
    const want = vigilArrivals(o);
    const warm = scenarios.warmup ? k6Arrivals(scenarios.warmup) : [];
    const main = k6Arrivals(scenarios.main as Scenario);
    const mainCapped = o.requests !== undefined ? main.slice(0, o.requests) : main;
    assert.equal(Object.keys(scenarios).length, o.warmupMs > 0 ? 2 : 1, name);
    // Each k6 scenario covers its own phase only: no warm-up arrival after the warm-up, none of the main one before it.
    assert.ok(warm.every((t) => t < o.warmupMs), `${name}: warm-up arrivals after ${o.warmupMs} ms`);
    assert.ok(mainCapped.every((t) => t >= o.warmupMs), `${name}: measured arrivals inside the warm-up`);
    // Same counts per phase (±1: k6 restarts its count at the phase boundary) and per second.
    assert.ok(Math.abs(warm.length - count(want, 0, o.warmupMs)) <= 1, `${name}: warm-up ${warm.length} vs vigil ${count(want, 0, o.warmupMs)}`);
    assert.ok(Math.abs(mainCapped.length - count(want, o.warmupMs, Infinity)) <= 1, `${name}: measured ${mainCapped.length} vs vigil ${count(want, o.warmupMs, Infinity)}`);
    const k6All = [...warm, ...mainCapped];
    const last = Math.max(...want, ...k6All);
    for (let s = 0; s <= last / 1000; s++) {
      const a = count(k6All, s * 1000, (s + 1) * 1000);
      const b = count(want, s * 1000, (s + 1) * 1000);
      assert.ok(Math.abs(a - b) <= 2, `${name}: second ${s}: k6 ${a} vs vigil ${b}`);
    }
  }
});

test('closed model: the warm-up VUs run for the warm-up only, the measured VUs from its end for the duration', () => {
  const shapes: [string, string, Scenario | undefined, Scenario][] = [
    ['connections + warmup', 'connections: 4\nwarmup: 1s\nduration: 2s', { executor: 'constant-vus', vus: 4, duration: '1s' }, { executor: 'constant-vus', vus: 4, duration: '2s', startTime: '1s' }],
    ['connections, a request count', 'connections: 4\niterations: 50', undefined, { executor: 'shared-iterations', vus: 4, iterations: 50, maxDuration: '24h' }],
  ];
  for (const [name, yaml, warm, main] of shapes) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, `target: http://127.0.0.1:8080\n${yaml}\n`);
    const { scenarios } = optionsOf(exportK6(resolveLoadOptions({ scenarioFile: file }), { from: file, dataFile: 'x.json', replay: false }).script);
    const warmup = scenarios.warmup ? { ...scenarios.warmup } : undefined;
    if (warmup) { assert.deepEqual(warmup.tags, { vigil_phase: 'warmup' }); delete warmup.tags; }
    assert.deepEqual(warmup, warm, name);
    assert.deepEqual(scenarios.main, main, name);
  }
});
