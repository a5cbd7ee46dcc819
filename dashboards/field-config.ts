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

/** Value mappings for a 0/1 verdict gauge: 0 → ok text (green), 1 → bad text (red). */
export function verdictMappings(okText: string, badText: string): dashboard.ValueMapping[] {
  return [{
    type: dashboard.MappingType.ValueToText,
    options: { '0': { text: okText, color: 'green', index: 0 }, '1': { text: badText, color: 'red', index: 1 } },
  }];
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
