import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isVigilError } from '../../common/errors.ts';
import { JsonArraySplitter, convertPrompts, promptOf, resolvePromptsOptions } from '../../load/prompts/index.ts';
import { parseJsonlReplay, resolveLoadOptions } from '../../load/index.ts';
import { LINES_FILE, SHAREGPT_FILE, renderLines, renderShareGpt, syntheticShareGpt } from '../../fixtures/prompts/generate.ts';
import { REPO_ROOT, runVigil, testOutputDir } from '../helpers/cli.ts';

const code = (c: string) => (e: unknown): boolean => isVigilError(e) && e.code === c;

test('prompt fixtures: the committed files are what the seeded script generates', () => {
  assert.equal(readFileSync(SHAREGPT_FILE, 'utf8'), renderShareGpt());
  assert.equal(readFileSync(LINES_FILE, 'utf8'), renderLines());
});

test('JSON array splitter: any split of any array gives the elements JSON.parse gives', () => {
  fc.assert(fc.property(fc.array(fc.jsonValue(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('', ' ', '\n  '), (values, cuts, ws) => {
    const text = `${ws}[${ws}${values.map((v) => JSON.stringify(v, null, ws.length > 1 ? 1 : 0)).join(`${ws},${ws}`)}${ws}]${ws}`;
    const bytes = Buffer.from(text, 'utf8');
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const s = new JsonArraySplitter();
    const got: unknown[] = [];
    let at = 0;
    for (const p of [...points, bytes.length]) { for (const t of s.push(bytes.subarray(at, p))) got.push(JSON.parse(t)); at = p; }
    s.end();
    assert.deepEqual(got, JSON.parse(text));
  }), { numRuns: 300, seed: 14 });
  for (const bad of ['{"a":1}', '[1, 2', '[1] x']) {
    const s = new JsonArraySplitter();
    assert.throws(() => { s.push(Buffer.from(bad)); s.end(); }, bad);
  }
});

test('conversations: the first user turn (after a system turn) and the first answer after it; other shapes and roles', () => {
  assert.deepEqual(promptOf({ conversations: [{ from: 'system', value: 'S' }, { from: 'human', value: 'Q' }, { from: 'gpt', value: 'abcd' }, { from: 'human', value: 'Q2' }] }),
    { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }], answerChars: 4 });
  assert.deepEqual(promptOf({ messages: [{ role: 'assistant', content: 'hello' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'xy' }] }),
    { messages: [{ role: 'user', content: 'Q' }], answerChars: 2 });
  assert.deepEqual(promptOf({ conversation: [{ role: 'user', content: 'Q' }] }), { messages: [{ role: 'user', content: 'Q' }], answerChars: undefined });
  assert.equal(promptOf({ conversations: [{ from: 'gpt', value: 'A' }] }), 'no user turn');
  assert.equal(promptOf({ conversations: [{ from: 'human', value: ' ' }] }), 'an empty user turn');
  assert.equal(promptOf([1]), 'not a JSON object');
  assert.equal(promptOf({ id: 1 }), 'no "conversations" (or "messages") array');
});

test('vigil load prompts: ShareGPT → replay JSONL the load engine accepts; max_tokens from the recorded answers', async () => {
  const dir = testOutputDir('stream-prompts');
  const out = join(dir, 'chat.jsonl');
  const run = await runVigil(['load', 'prompts', SHAREGPT_FILE, '--model', 'vigil-fixture-llm', '--out', out, '--extra-body', '{"temperature":0}']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^48 requests \(skipped: 1 no user turn, 1 an empty user turn, 1 no recorded answer \(for --max-tokens answer\)\); max_tokens min \d+, p50 \d+, p90 \d+, max \d+ \(recorded answers, estimated at 4 characters a token\); written to /);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { method: string; path: string; body: Record<string, unknown> });
  const usable = (syntheticShareGpt() as { conversations: { from: string; value: string }[] }[]).slice(0, 48);
  assert.equal(lines.length, 48);
  lines.forEach((l, i) => {
    const conv = (usable[i] as { conversations: { from: string; value: string }[] }).conversations;
    const answer = conv.find((c) => c.from === 'gpt')?.value as string;
    assert.equal(l.method, 'POST');
    assert.equal(l.path, '/v1/chat/completions');
    assert.equal(l.body['max_tokens'], Math.ceil(answer.length / 4));
    assert.equal(l.body['model'], 'vigil-fixture-llm');
    assert.equal(l.body['stream'], true);
    assert.deepEqual(l.body['stream_options'], { include_usage: true });
    assert.equal(l.body['temperature'], 0);
    assert.equal((l.body['messages'] as { content: string }[]).at(-1)?.content, conv.find((c) => c.from === 'human')?.value);
  });
  assert.equal(parseJsonlReplay(readFileSync(out, 'utf8'), out).size, 48);
});

test('vigil load prompts: a line per prompt, a max_tokens distribution, the completions API, stdout', async () => {
  const o = resolvePromptsOptions(LINES_FILE, { maxTokens: 'uniform:10-20', api: 'completions', stream: false, limit: '10', seed: '3' });
  const r = await convertPrompts(o);
  assert.equal(r.lines.length, 10);
  const prompts = readFileSync(LINES_FILE, 'utf8').split('\n');
  r.lines.forEach((l, i) => {
    assert.equal(l.path, '/v1/completions');
    assert.equal(l.body['prompt'], prompts[i]);
    const m = l.body['max_tokens'] as number;
    assert.ok(Number.isInteger(m) && m >= 10 && m <= 20);
    assert.equal(l.body['stream'], undefined);
  });
  assert.deepEqual((await convertPrompts(o)).lines, r.lines, 'seeded');
  const run = await runVigil(['load', 'prompts', LINES_FILE, '--max-tokens', '64', '--no-usage', '--limit', '2'], { cwd: REPO_ROOT });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { body: Record<string, unknown> });
  assert.deepEqual(lines.map((l) => [l.body['max_tokens'], l.body['stream'], l.body['stream_options']]), [[64, true, undefined], [64, true, undefined]]);
});

test('vigil load prompts: bad input and options are refused with their codes, nothing written', async () => {
  const dir = testOutputDir('stream-prompts');
  const write = (name: string, text: string): string => { const f = join(dir, name); writeFileSync(f, text); return f; };
  const truncated = write('truncated.json', '[{"conversations": [{"from": "human", "value": "hi"}]}, {"conv');
  const notJson = write('bad.jsonl', '{"conversations": []}\n{nope\n');
  const none = write('none.json', '[{"conversations": [{"from": "gpt", "value": "x"}]}]');
  const cases: [string, Record<string, string | boolean>, string][] = [
    [truncated, {}, 'VIGIL_PROMPTS_MALFORMED'],
    [notJson, {}, 'VIGIL_PROMPTS_MALFORMED'],
    [none, {}, 'VIGIL_PROMPTS_EMPTY'],
    [join(dir, 'missing.json'), {}, 'VIGIL_PROMPTS_UNREADABLE'],
    [LINES_FILE, { maxTokens: 'answer' }, 'VIGIL_PROMPTS_EMPTY'],
  ];
  for (const [file, flags, want] of cases) await assert.rejects(convertPrompts(resolvePromptsOptions(file, flags)), code(want), `${file} ${JSON.stringify(flags)}`);
  for (const flags of [{ maxTokens: 'lots' }, { maxTokens: '0' }, { api: 'embeddings' }, { extraBody: '[1]' }, { limit: '0' }, { format: 'csv' }, { path: 'v1' }, { maxPromptTokens: 'x' }]) {
    assert.throws(() => resolvePromptsOptions(LINES_FILE, flags), code('VIGIL_PROMPTS_BAD_OPTION'), JSON.stringify(flags));
  }
  const out = join(dir, 'never.jsonl');
  const run = await runVigil(['load', 'prompts', truncated, '--out', out]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /VIGIL_PROMPTS_MALFORMED.*element 2/);
  assert.throws(() => readFileSync(out));
});

test('examples/llm: chat.jsonl is what its documented command writes, and the scenario resolves', async () => {
  const file = join(REPO_ROOT, 'examples', 'llm', 'chat.jsonl');
  const r = await convertPrompts(resolvePromptsOptions(SHAREGPT_FILE, { model: 'vigil-fixture-llm', limit: '16' }));
  assert.equal(readFileSync(file, 'utf8'), `${r.lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const o = resolveLoadOptions({ scenarioFile: join(REPO_ROOT, 'examples', 'llm', 'scenario.yaml') });
  assert.deepEqual([o.source.size, o.rate, o.arrival?.kind, o.slo, o.deadlineMs], [16, 4, 'poisson', ['ttft<500ms', 'tpot<50ms'], 30_000]);
});
