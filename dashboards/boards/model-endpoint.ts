import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { vigilDashboard } from './common.ts';
import type { SloLines } from '../slo-lines.ts';
import { datasourceVariable, jobAndModelVariables } from '../datasource.ts';
import { requestRatePanel } from '../panels/request-rate.ts';
import { errorRatioPanel } from '../panels/error-ratio.ts';
import { latencyQuantilesPanel } from '../panels/latency-quantiles.ts';
import { latencyHeatmapPanel } from '../panels/latency-heatmap.ts';
import { referenceInferencePanel } from '../panels/reference-inference.ts';

/** Traffic, errors and latency of the deployed model, as seen by the monitor's proxy. */
export function modelEndpointDashboard(slo: SloLines): dashboard.Dashboard {
  return vigilDashboard('vigil-model-endpoint', 'vigil / Model endpoint', 'QPS, error ratio and latency (P50/P95/P99, heatmap) of the deployed model endpoint, measured by the vigil monitor in proxy mode.')
    .variables([datasourceVariable(), ...jobAndModelVariables('vigil_upstream_requests_total')])
    .withRow(new dashboard.RowBuilder('Traffic'))
    .withPanel(requestRatePanel())
    .withPanel(errorRatioPanel(slo))
    .withRow(new dashboard.RowBuilder('Latency'))
    .withPanel(latencyQuantilesPanel(slo))
    .withPanel(latencyHeatmapPanel())
    .withPanel(referenceInferencePanel())
    .build();
}
