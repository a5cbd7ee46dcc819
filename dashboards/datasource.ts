import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as common from '@grafana/grafana-foundation-sdk/common';

/** uid of the datasource the provisioning file creates; the `datasource` variable defaults to it. */
export const DATASOURCE_UID = 'vigil-prometheus';
export const DATASOURCE_NAME = 'vigil Prometheus';

/** Every panel and query reads from the dashboard's `datasource` variable. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ selected: true, text: DATASOURCE_NAME, value: DATASOURCE_UID });
}

/**
 * A multi-value label variable (`job`, `model`, `scenario`, `target`) read from one metric,
 * "All" = `.*` so series without the label still match.
 */
export function labelVariable(name: string, label: string, metric: string, filter = ''): dashboard.QueryVariableBuilder {
  const query = `label_values(${metric}${filter}, ${name})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/** `job` then `model`, both read from the dashboard's main metric. */
export function jobAndModelVariables(metric: string): dashboard.QueryVariableBuilder[] {
  return [labelVariable('job', 'Job', metric), labelVariable('model', 'Model', metric, '{job=~"$job"}')];
}
