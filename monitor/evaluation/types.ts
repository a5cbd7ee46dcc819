import type { FamilyDecision, FamilyMethod } from '../drift/family.ts';
import type { Matrix } from '../drift/matrix.ts';
import type { LabelParity } from './label-parity.ts';
import type { OnlineResumeState, OnlineState } from '../drift/online.ts';

/** Drift of one stream (the inputs, or the reference model's outputs) against its reference. */
export interface StreamDrift {
  /** `inputs` or `outputs` (reference-model outputs on live inputs vs on the reference set). */
  readonly source: 'inputs' | 'outputs';
  /** The family decided drift and its deciding test is in this stream. */
  readonly detected: boolean;
  readonly ks: {
    readonly correction: 'bonferroni' | 'fdr';
    readonly detected: boolean;
    /** Smallest p-value after the multiple-testing correction (what `vigil_drift_p_value{test="ks"}` shows). */
    readonly pValue: number;
    readonly features: readonly { name: string; statistic: number; pValue: number; drift: boolean }[];
  };
  readonly mmd: {
    readonly mmd2: number; readonly pValue: number; readonly detected: boolean; readonly sigma: readonly number[]; readonly permutations: number;
    /** Present when a side had more rows than `mmdMaxSamples`: the rows MMD used (a seeded uniform subsample). KS uses every row. */
    readonly subsample?: { readonly maxSamples: number; readonly reference: number; readonly current: number };
    /** Present when a numeric feature had missing values: MMD replaced each by the reference median of its feature. */
    readonly imputed?: { readonly method: 'reference median'; readonly features: readonly string[] };
  };
  /** Features with a missing value in the reference or the window: rates and Fisher's exact test (a family member). */
  readonly missing?: readonly { name: string; referenceRate: number; windowRate: number; pValue: number }[];
  /** Categorical features (inputs): chi-square with sparse categories pooled (a family member), PSI, unseen values. */
  readonly categorical?: readonly { name: string; chi2: number; dof: number; pValue: number; psi: number; unseenCategories: number }[];
}

export interface ParityResult {
  /** Window rows that carried a deployed output. */
  readonly samples: number;
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  /** Fraction of rows where the deployed and reference argmax agree (1 for single-output models when within tolerance). */
  readonly agreementRatio: number;
  /** True when the max abs diff exceeds the tolerance, or a deployed label differs from the reference model's. */
  readonly degraded: boolean;
  /** Models with a label output, when deployed labels were observed: exact label agreement. */
  readonly labels?: LabelParity;
}

/** One evaluation of the window (an entry of GET /v1/drift). */
export interface Evaluation {
  readonly seq: number;
  readonly at: string;
  readonly windowSamples: number;
  readonly durationMs: number;
  /** The family decision: family.pValue ≤ alpha (not the OR of the tests' own verdicts). */
  readonly drift: boolean;
  readonly family: FamilyDecision;
  readonly inputs: StreamDrift;
  readonly outputs?: StreamDrift;
  readonly parity?: ParityResult;
}

export interface DriftSettings {
  readonly alpha: number;
  readonly correction: 'bonferroni' | 'fdr';
  /** How the tests of an evaluation make one decision (drift/family.ts); default minp. */
  readonly family?: FamilyMethod;
  readonly permutations: number;
  readonly seed: number;
  /** null: cleared (a command-line flag overrode the config file's other bandwidth key). */
  readonly sigma?: number | readonly number[] | null;
  readonly sigmaScale?: readonly number[] | null;
  readonly aggregate?: 'mean' | 'minp';
  /** Rows per side MMD uses at most (seeded subsample above); undefined: all. */
  readonly mmdMaxSamples?: number;
  readonly parityTolerance: number;
  /** The online detector; absent or not enabled: none. */
  readonly online?: { readonly enabled: boolean; readonly ert: number; readonly window: number; readonly step: number; readonly simulations: number };
}

/** New rows for the online detector (inputs and, with a model, reference outputs). */
export interface OnlineMessage {
  readonly type: 'online';
  readonly id: number;
  readonly inputs: Matrix;
  readonly outputs?: Matrix;
}

/** The online detector's state after a batch (or why there is none). */
export type OnlineReport = { readonly enabled: false; readonly reason: string; /** Kept to be absorbed once a resumed detector is calibrated (--state-dir). */ readonly queued?: true } | ({ readonly enabled: true } & OnlineState);

/** A persisted detector state for the worker to resume once calibrated (--state-dir). */
export interface OnlineRestoreMessage {
  readonly type: 'online-restore';
  readonly state: OnlineResumeState;
}

/** What the worker needs once per reference set. */
export interface ReferenceMessage {
  readonly type: 'reference';
  /** Set by the client: the worker answers `{type: 'reference', id, error?}` once it has built (or refused) the evaluator. */
  readonly id?: number;
  readonly features: readonly string[];
  /** Categorical features by name: the size of the reference vocabulary (codes at or above it are unseen values). */
  readonly categorical?: Readonly<Record<string, number>>;
  readonly outputNames: readonly string[];
  readonly inputs: Matrix;
  readonly outputs?: Matrix;
  readonly settings: DriftSettings;
}

/** A snapshot of the windows to evaluate. */
export interface EvaluateMessage {
  readonly type: 'evaluate';
  readonly id: number;
  readonly seq: number;
  readonly inputs: Matrix;
  readonly outputs?: Matrix;
  readonly deployed?: Matrix;
  readonly deployedMask?: Uint8Array;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'reference'; id: number; error?: string; stack?: string }
  | { type: 'result'; id: number; evaluation: Evaluation; memory?: WorkerMemory }
  | { type: 'online'; id: number; online: OnlineReport }
  /** `message` is one line (shown to viewers); `stack` is for the log only. */
  | { type: 'error'; id: number; message: string; stack?: string };

/** The evaluation worker's own heap, measured inside it right after an evaluation (GET /v1/status). */
export interface WorkerMemory {
  readonly at: string;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** ArrayBuffers (window snapshots, kernel blocks) live outside the V8 heap. */
  readonly externalBytes: number;
}
