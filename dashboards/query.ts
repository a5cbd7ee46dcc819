import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { DATASOURCE } from './datasource.ts';

/** The label matchers every vigil query carries: the dashboard's job and model variables. */
export function sel(...extra: string[]): string {
  return `{${['job=~"$job"', 'model=~"$model"', ...extra].join(', ')}}`;
}

/** A Prometheus query of a panel. refIds are A, B, C... in panel order. */
export function promQuery(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(refId)
    .expr(expr)
    .legendFormat(legend)
    .range();
}

/** An instant query (bar gauges and stats showing the latest value). */
export function instantQuery(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(refId)
    .expr(expr)
    .legendFormat(legend)
    .instant();
}

/** Quantile from a histogram's buckets per model: the way to get P50/P95/P99 in Prometheus. */
export function histogramQuantile(q: number, bucketMetric: string, by = 'model'): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${bucketMetric}${sel()}[$__rate_interval])))`;
}

/** Matchers for series that are about a machine, not a model (GPUs, scrape targets). */
export function jobSel(...extra: string[]): string {
  return `{${['job=~"$job"', ...extra].join(', ')}}`;
}
