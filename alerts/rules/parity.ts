import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promNumber } from '../promql-format.ts';

/** The deployed model no longer answers like the reference model on the same inputs. */
export function parityAlert(config: SloConfig): AlertingRule {
  const min = config.parity.minAgreement;
  return alertRule(config, {
    alert: 'VigilParityDegraded',
    expr: `vigil_parity_agreement_ratio < ${promNumber(min)}`,
    forMs: config.parity.for,
    severity: 'warning',
    summary: 'Model {{ $labels.model }} disagrees with its reference model',
    description: `Only {{ $value | humanizePercentage }} of the answers of model {{ $labels.model }} (job {{ $labels.job }}) agree with the reference model, below the ${promNumber(min * 100)}% floor.`,
  });
}
