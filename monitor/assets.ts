import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let source: string | undefined;

/**
 * chart.js's UMD build from node_modules, served at /assets/chart.js. (common/html.ts's
 * `chartJsPath` resolves `chart.js/dist/chart.umd.min.js`, a subpath chart.js 4 does not export,
 * so it throws; this resolves the package's main entry and takes the file beside it.)
 */
export function chartJsUmd(): string {
  source ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return source;
}
