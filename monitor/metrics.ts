import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { Evaluation, OnlineReport, StreamDrift } from './evaluation/types.ts';

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
    pValue: new Gauge({ name: 'vigil_drift_p_value', help: 'p-value at the last evaluation (test="family", source="all": the family-wise p-value that decides; ks: smallest corrected per-feature p-value; mmd: permutation test).', labelNames: ['model', 'source', 'test'], registers }),
    detected: new Gauge({ name: 'vigil_drift_detected', help: '1 when the last evaluation decided drift (family p-value <= alpha over every test of both streams), else 0. Labels source="all", test="family".', labelNames: ['model', 'source', 'test'], registers }),
    featureKs: new Gauge({ name: 'vigil_drift_feature_ks_statistic', help: 'Two-sample KS statistic per feature at the last evaluation.', labelNames: ['model', 'source', 'feature'], registers }),
    featureP: new Gauge({ name: 'vigil_drift_feature_p_value', help: 'Uncorrected KS p-value per feature at the last evaluation.', labelNames: ['model', 'source', 'feature'], registers }),
    alarm: new Gauge({ name: 'vigil_drift_alarm', help: 'Online drift detector: 1 while the alarm is raised (its statistic reached the threshold within the last window of samples), else 0.', labelNames: ['model'], registers }),
    onlineStatistic: new Gauge({ name: 'vigil_drift_online_statistic', help: 'Online drift detector: family statistic of the last scored window, -log10 of the smallest p-value over every KS and MMD test.', labelNames: ['model'], registers }),
    onlineThreshold: new Gauge({ name: 'vigil_drift_online_threshold', help: 'Online drift detector: the threshold calibrated for the configured ERT (mean samples between false alarms).', labelNames: ['model'], registers }),
    alarms: new Counter({ name: 'vigil_drift_alarms_total', help: 'Online drift detector: alarms raised.', labelNames: ['model'], registers }),
    windowSamples: new Gauge({ name: 'vigil_drift_window_samples', help: 'Samples in the sliding window.', labelNames: ['model'], registers }),
    evaluationDuration: new Histogram({ name: 'vigil_drift_evaluation_duration_seconds', help: 'Time of one drift evaluation (KS + MMD on inputs and outputs, parity) in the worker thread, seconds.', labelNames: ['model'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
    evaluations: new Counter({ name: 'vigil_drift_evaluations_total', help: 'Drift evaluations run (result="ok"|"error").', labelNames: ['model', 'result'], registers }),
    parityMax: new Gauge({ name: 'vigil_parity_max_abs_diff', help: 'Largest |deployed − reference| output difference over the window.', labelNames: ['model'], registers }),
    parityMean: new Gauge({ name: 'vigil_parity_mean_abs_diff', help: 'Mean |deployed − reference| output difference over the window.', labelNames: ['model'], registers }),
    parityAgreement: new Gauge({ name: 'vigil_parity_agreement_ratio', help: 'Fraction of window rows where deployed and reference argmax agree.', labelNames: ['model'], registers }),
    paritySamples: new Gauge({ name: 'vigil_parity_samples', help: 'Window rows that carried a deployed output.', labelNames: ['model'], registers }),
    referenceInference: new Histogram({ name: 'vigil_reference_inference_duration_seconds', help: 'Time of one (micro-batched) reference-model inference call, seconds.', labelNames: ['model'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    observations: new Counter({ name: 'vigil_observations_total', help: 'Samples added to the window (source="api"|"proxy"|"cloudevents").', labelNames: ['model', 'source'], registers }),
    categorical: new Counter({ name: 'vigil_observed_categorical_total', help: 'Observed values of categorical features not (yet) in the drift windows, e.g. an LLM answer\'s finish_reason (protocol openai).', labelNames: ['model', 'feature', 'value'], registers }),
    rejected: new Counter({ name: 'vigil_observations_rejected_total', help: 'Observation batches rejected by validation, by error code (source="api"|"proxy"|"cloudevents").', labelNames: ['model', 'source', 'code'], registers }),
  };

  // The detector counts alarms since its stream started; the counter only ever adds the new ones.
  let lastAlarms = 0;
  return {
    ...m,
    /** Publishes one evaluation to the gauges. */
    recordEvaluation(e: Evaluation): void {
      m.evaluationDuration.observe({ model }, e.durationMs / 1000);
      m.evaluations.inc({ model, result: 'ok' });
      m.detected.set({ model, source: 'all', test: 'family' }, e.drift ? 1 : 0);
      m.pValue.set({ model, source: 'all', test: 'family' }, e.family.pValue);
      setStream(e.inputs);
      if (e.outputs) setStream(e.outputs);
      if (e.parity) {
        m.parityMax.set({ model }, e.parity.maxAbsDiff);
        m.parityMean.set({ model }, e.parity.meanAbsDiff);
        m.parityAgreement.set({ model }, e.parity.agreementRatio);
        m.paritySamples.set({ model }, e.parity.samples);
      }
    },
    /** Publishes the online detector's state after a batch. */
    recordOnline(o: OnlineReport): void {
      if (!o.enabled) return;
      m.onlineThreshold.set({ model }, o.threshold);
      m.alarm.set({ model }, o.alarm ? 1 : 0);
      if (o.statistic !== undefined) m.onlineStatistic.set({ model }, o.statistic);
      const raised = o.alarms - lastAlarms;
      if (raised > 0) m.alarms.inc({ model }, raised);
      lastAlarms = o.alarms;
    },
    /** Forgets last values (POST /v1/reset, PUT /v1/reference): stale verdicts must not linger. */
    resetDrift(): void {
      for (const g of [m.mmd2, m.pValue, m.detected, m.featureKs, m.featureP, m.parityMax, m.parityMean, m.parityAgreement, m.paritySamples, m.alarm, m.onlineStatistic, m.onlineThreshold]) g.reset();
      lastAlarms = 0;
    },
  };

  function setStream(s: StreamDrift): void {
    const source = s.source;
    m.mmd2.set({ model, source }, s.mmd.mmd2);
    m.pValue.set({ model, source, test: 'mmd' }, s.mmd.pValue);
    m.pValue.set({ model, source, test: 'ks' }, s.ks.pValue);
    for (const f of s.ks.features) {
      m.featureKs.set({ model, source, feature: f.name }, f.statistic);
      m.featureP.set({ model, source, feature: f.name }, f.pValue);
    }
  }
}

export type MonitorMetrics = ReturnType<typeof createMonitorMetrics>;
