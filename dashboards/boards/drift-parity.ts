import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { vigilDashboard } from './common.ts';
import type { SloLines } from '../slo-lines.ts';
import { datasourceVariable, jobAndModelVariables } from '../datasource.ts';
import { driftVerdictsPanel } from '../panels/drift-verdicts.ts';
import { driftOnlinePanel } from '../panels/drift-online.ts';
import { driftPValuesPanel } from '../panels/drift-p-values.ts';
import { driftMmd2Panel } from '../panels/drift-mmd2.ts';
import { featureKsPanel } from '../panels/feature-ks.ts';
import { featurePValuesPanel } from '../panels/feature-p-values.ts';
import { driftWindowPanel } from '../panels/drift-window.ts';
import { driftDegradedPanel, driftStalePanel, driftVerdictAgePanel } from '../panels/drift-health.ts';
import { parityAgreementPanel } from '../panels/parity-agreement.ts';
import { parityDiffPanel } from '../panels/parity-diff.ts';

/** Is production data still like the reference, and does the deployed model still answer like it? */
export function driftParityDashboard(slo: SloLines): dashboard.Dashboard {
  return vigilDashboard('vigil-drift-parity', 'vigil / Drift and parity', 'Drift of production inputs against the reference set (online detector with a set ERT; per-evaluation family decision over MMD and per-feature KS) and parity of the deployed model with the reference model.')
    .variables([datasourceVariable(), ...jobAndModelVariables('vigil_drift_window_samples')])
    .withRow(new dashboard.RowBuilder('Drift'))
    .withPanel(driftOnlinePanel())
    .withPanel(driftVerdictsPanel())
    .withPanel(driftPValuesPanel())
    .withPanel(driftMmd2Panel())
    .withPanel(featureKsPanel())
    .withPanel(featurePValuesPanel())
    .withPanel(driftWindowPanel())
    .withRow(new dashboard.RowBuilder('Verdict health'))
    .withPanel(driftDegradedPanel())
    .withPanel(driftStalePanel())
    .withPanel(driftVerdictAgePanel())
    .withRow(new dashboard.RowBuilder('Parity'))
    .withPanel(parityAgreementPanel(slo.minAgreement))
    .withPanel(parityDiffPanel())
    .build();
}
