import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { painter } from '../../common/colour.ts';
import { formatSummaryTable, readLoadResult } from '../../load/index.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const ESC = '\u001b[';

test('colour only on a terminal, NO_COLOR respected, FORCE_COLOR forces it (table)', () => {
  const cases: [{ isTTY?: boolean }, Record<string, string>, boolean][] = [
    [{ isTTY: true }, {}, true],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true], // no-color.org: only a non-empty value disables
    [{}, {}, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: 'yes' }, false],
  ];
  for (const [stream, env, on] of cases) assert.equal(painter(stream, env)('red', 'x').includes(ESC), on, JSON.stringify([stream, env]));
});

test('the summary paints PASS green and FAIL red on a terminal, and is plain text otherwise', () => {
  const r = readLoadResult(join(REPO_ROOT, 'examples/shard-1.json'));
  r.thresholds = [{ expr: 'p99<1ms', ok: false, value: 60 }, { expr: 'error_rate<1%', ok: true, value: 0 }];
  const coloured = formatSummaryTable(r, painter({ isTTY: true }, {}));
  assert.match(coloured, new RegExp(`${ESC.replace('[', '\\[')}31mFAIL`));
  assert.match(coloured, new RegExp(`${ESC.replace('[', '\\[')}32mPASS`));
  assert.ok(!formatSummaryTable(r).includes(ESC));
  assert.equal(coloured.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, ''))).join(''), formatSummaryTable(r));
});
