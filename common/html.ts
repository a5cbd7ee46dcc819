import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let chartJs: string | undefined;

/** chart.js's UMD build, read from node_modules once, for inlining into self-contained reports. */
export function chartJsSource(): string {
  chartJs ??= readFileSync(chartJsPath(), 'utf8');
  return chartJs;
}

/** Path of chart.js's UMD build, for servers that serve it as a static file. */
export function chartJsPath(): string {
  // chart.js's package.json "exports" does not expose dist/chart.umd.min.js; find it beside the main entry.
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON that is safe inside a <script> element (no `</script>` breakout). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A self-contained HTML page: chart.js and the data inlined, no network access needed.
 * `script` runs after chart.js has loaded and can read `window.__DATA__`.
 */
export function selfContainedPage(opts: { title: string; body: string; data: unknown; script: string; css?: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style>${BASE_CSS}${opts.css ?? ''}</style>
</head><body>
${opts.body}
<script>${chartJsSource()}</script>
<script>window.__DATA__ = ${jsonForScript(opts.data)};</script>
<script>${opts.script}</script>
</body></html>
`;
}

const BASE_CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#59636e;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:8px 0} th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right}
th{background:#f6f8fa} td:first-child,th:first-child{text-align:left}
.ok{color:#1a7f37;font-weight:600} .fail{color:#cf222e;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
.chart{position:relative;height:300px;border:1px solid #d0d7de;border-radius:6px;padding:8px}
`;
