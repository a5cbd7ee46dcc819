import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { Evaluation, StreamDrift } from './evaluation/types.ts';

/**
 * The monitor's Prometheus series (names from SPEC.md "Metric names"), registered on the
 * registry passed in — never prom-client's global one. Every series carries `model`; drift
 * series also carry `source` ("inputs" or "outputs": the reference model's outputs).
 */
export function createMonitorMetrics(registry: Registry, model: string) {
  const registers = [registry];
  const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  collectDefaultMetrics({ register: registry });
  const m = {
    upstreamDuration: new Histogram({ name: 'vigil_upstream_request_duration_seconds', help: 'Latency of requests proxied to the deployed endpoint, seconds (code="error"/"timeout" when no response).', labelNames: ['model', 'route', 'method', 'code'], buckets: latencyBuckets, registers }),
    upstreamRequests: new Counter({ name: 'vigil_upstream_requests_total', help: 'Requests proxied to the deployed endpoint.', labelNames: ['model', 'route', 'method', 'code'], registers }),
    mmd2: new Gauge({ name: 'vigil_drift_mmd2', help: 'MMD² between the window and the reference set at the last evaluation.', labelNames: ['model', 'source'], registers }),
    pValue: new Gauge({ name: 'vigil_drift_p_value', help: 'p-value of the last drift test (ks: smallest corrected per-feature p-value; mmd: permutation test).', labelNames: ['model', 'source', 'test'], registers }),
    detected: new Gauge({ name: 'vigil_drift_detected', help: '1 when the last evaluation detected drift at alpha, else 0.', labelNames: ['model', 'source', 'test'], registers }),
    featureKs: new Gauge({ name: 'vigil_drift_feature_ks_statistic', help: 'Two-sample KS statistic per feature at the last evaluation.', labelNames: ['model', 'source', 'feature'], registers }),
    featureP: new Gauge({ name: 'vigil_drift_feature_p_value', help: 'Uncorrected KS p-value per feature at the last evaluation.', labelNames: ['model', 'source', 'feature'], registers }),
    windowSamples: new Gauge({ name: 'vigil_drift_window_samples', help: 'Samples in the sliding window.', labelNames: ['model'], registers }),
    evaluationDuration: new Histogram({ name: 'vigil_drift_evaluation_duration_seconds', help: 'Time of one drift evaluation (KS + MMD on inputs and outputs, parity) in the worker thread, seconds.', labelNames: ['model'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
    evaluations: new Counter({ name: 'vigil_drift_evaluations_total', help: 'Drift evaluations run (result="ok"|"error").', labelNames: ['model', 'result'], registers }),
    parityMax: new Gauge({ name: 'vigil_parity_max_abs_diff', help: 'Largest |deployed − reference| output difference over the window.', labelNames: ['model'], registers }),
    parityMean: new Gauge({ name: 'vigil_parity_mean_abs_diff', help: 'Mean |deployed − reference| output difference over the window.', labelNames: ['model'], registers }),
    parityAgreement: new Gauge({ name: 'vigil_parity_agreement_ratio', help: 'Fraction of window rows where deployed and reference argmax agree.', labelNames: ['model'], registers }),
    paritySamples: new Gauge({ name: 'vigil_parity_samples', help: 'Window rows that carried a deployed output.', labelNames: ['model'], registers }),
    referenceInference: new Histogram({ name: 'vigil_reference_inference_duration_seconds', help: 'Time of one (micro-batched) reference-model inference call, seconds.', labelNames: ['model'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    observations: new Counter({ name: 'vigil_observations_total', help: 'Samples added to the window (source="api"|"proxy").', labelNames: ['model', 'source'], registers }),
    categorical: new Counter({ name: 'vigil_observed_categorical_total', help: 'Observed values of categorical features not (yet) in the drift windows, e.g. an LLM answer\'s finish_reason (protocol openai).', labelNames: ['model', 'feature', 'value'], registers }),
    rejected: new Counter({ name: 'vigil_observations_rejected_total', help: 'Observation batches rejected by validation, by error code (source="api"|"proxy").', labelNames: ['model', 'source', 'code'], registers }),
  };

  return {
    ...m,
    /** Publishes one evaluation to the gauges. */
    recordEvaluation(e: Evaluation): void {
      m.evaluationDuration.observe({ model }, e.durationMs / 1000);
      m.evaluations.inc({ model, result: 'ok' });
      setStream(e.inputs);
      if (e.outputs) setStream(e.outputs);
      if (e.parity) {
        m.parityMax.set({ model }, e.parity.maxAbsDiff);
        m.parityMean.set({ model }, e.parity.meanAbsDiff);
        m.parityAgreement.set({ model }, e.parity.agreementRatio);
        m.paritySamples.set({ model }, e.parity.samples);
      }
    },
    /** Forgets last values (POST /v1/reset, PUT /v1/reference): stale verdicts must not linger. */
    resetDrift(): void {
      for (const g of [m.mmd2, m.pValue, m.detected, m.featureKs, m.featureP, m.parityMax, m.parityMean, m.parityAgreement, m.paritySamples]) g.reset();
    },
  };

  function setStream(s: StreamDrift): void {
    const source = s.source;
    m.mmd2.set({ model, source }, s.mmd.mmd2);
    m.pValue.set({ model, source, test: 'mmd' }, s.mmd.pValue);
    m.pValue.set({ model, source, test: 'ks' }, s.ks.pValue);
    m.detected.set({ model, source, test: 'mmd' }, s.mmd.detected ? 1 : 0);
    m.detected.set({ model, source, test: 'ks' }, s.ks.detected ? 1 : 0);
    for (const f of s.ks.features) {
      m.featureKs.set({ model, source, feature: f.name }, f.statistic);
      m.featureP.set({ model, source, feature: f.name }, f.pValue);
    }
  }
}

export type MonitorMetrics = ReturnType<typeof createMonitorMetrics>;
