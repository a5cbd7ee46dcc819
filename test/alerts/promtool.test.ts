import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { requireTool } from '../helpers/tools.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { ALERT_NAMES, sloConfigSchema, writeRuleFiles } from '../../alerts/index.ts';

const ALERTS_DIR = join(REPO_ROOT, 'alerts');
const UNIT_TESTS = readdirSync(join(ALERTS_DIR, 'tests')).filter((f) => f.endsWith('.test.yaml')).sort().map((f) => join(ALERTS_DIR, 'tests', f));

function promtool(args: string[], cwd = REPO_ROOT): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('promtool check rules accepts every generated rule file', (t) => {
  if (!requireTool(t, 'promtool')) return;
  const files = readdirSync(join(ALERTS_DIR, 'generated')).filter((f) => f.endsWith('.yaml'));
  assert.equal(files.length, 2);
  for (const f of files) {
    const r = promtool(['check', 'rules', join(ALERTS_DIR, 'generated', f)]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS: \d+ rules found/);
  }
});

test('promtool test rules: every unit test in alerts/tests passes', (t) => {
  if (!requireTool(t, 'promtool')) return;
  const r = promtool(['test', 'rules', ...UNIT_TESTS]);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.output.match(/SUCCESS/g)?.length, UNIT_TESTS.length, r.output);
});

interface UnitTestFile { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] }

test('every alert has a unit test where it fires and one where it must not', () => {
  const fires = new Set<string>();
  const silent = new Set<string>();
  for (const file of UNIT_TESTS) {
    const parsed = parseYaml(readFileSync(file, 'utf8')) as UnitTestFile;
    for (const c of parsed.tests.flatMap((x) => x.alert_rule_test ?? [])) {
      ((c.exp_alerts ?? []).length > 0 ? fires : silent).add(c.alertname);
    }
  }
  assert.deepEqual([...ALERT_NAMES].filter((a) => !fires.has(a)), [], 'alerts without a firing case');
  assert.deepEqual([...ALERT_NAMES].filter((a) => !silent.has(a)), [], 'alerts without a must-not-fire case');
});

test('the unit tests can fail: against rules with other thresholds they do', (t) => {
  if (!requireTool(t, 'promtool')) return;
  // Rules generated with looser/stricter settings, next to a copy of the unit tests.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
  try {
    cpSync(join(ALERTS_DIR, 'tests'), join(dir, 'tests'), { recursive: true });
    const mutated = sloConfigSchema.parse({
      latency: { p99: '1s' }, drift: { for: '5m' }, gpu: { utilizationFor: '10s' },
      parity: { minAgreement: 0.5 }, targetDown: { for: '30s' },
    });
    writeRuleFiles(join(dir, 'generated'), mutated, 'mutated');
    const expectFailing = ['latency', 'drift', 'gpu', 'parity', 'target-down']; // the fast ones
    for (const name of expectFailing) {
      const r = promtool(['test', 'rules', join(dir, 'tests', `${name}.test.yaml`)]);
      assert.notEqual(r.status, 0, `${name}.test.yaml should fail against mutated rules:\n${r.output}`);
      assert.match(r.output, /FAILED/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
