import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';

/** Green below `value`, `color` from it on (the alert threshold of the panel). */
export function thresholdAt(value: number, color = 'red', below = 'green'): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: below }, { value, color }]);
}

/** Draws the thresholds as a dashed line on time series. */
export function dashedThresholds(): common.GraphThresholdsStyleConfigBuilder {
  return new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);
}

export function logScale(): common.ScaleDistributionConfigBuilder {
  return new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(10);
}

export function tableLegend(...calcs: string[]): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Bottom)
    .showLegend(true)
    .calcs(calcs);
}

export function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}
