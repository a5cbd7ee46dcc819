/** Styles of the load report, on top of selfContainedPage's base styles. */
export const REPORT_CSS = `
body{max-width:1400px;margin:24px auto;padding:0 24px;background:#f6f8fa}
header{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px}
h1{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
.badge{font-size:13px;font-weight:600;padding:3px 10px;border-radius:999px;color:#fff}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.neutral{background:#6e7781}.badge.warn{background:#bf8700}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:16px 0}
.kpi{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 14px}
.kpi .label{font-size:12px;color:#59636e;text-transform:uppercase;letter-spacing:.04em}
.kpi .value{font-size:24px;font-weight:600;margin-top:2px;font-variant-numeric:tabular-nums}
.kpi .value small{font-size:13px;font-weight:400;color:#59636e}
.kpi.hot{border-color:#8250df}.kpi.bad .value{color:#cf222e}
h2{margin-top:28px}
.chart{background:#fff;height:320px}.chart.short{height:260px}
.charts.wide-first{grid-template-columns:minmax(560px,2fr) minmax(240px,1fr)}
table{background:#fff;font-variant-numeric:tabular-nums}table.full{width:100%}
td.left,th.left{text-align:left}
.side{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}
.note{color:#59636e;font-size:13px;max-width:70ch}
code{font-size:12px}
.footer{margin-top:32px}
`;
