import type { BaselineFigures } from './regression.ts';

/** What the scheduler knows about one scenario; metrics and /healthz read it at scrape time. */
export interface ScenarioState {
  name: string;
  model: string;
  cron: string;
  running: boolean;
  nextRun: Date | null;
  runs: { passed: number; failed: number; aborted: number };
  /** Cron ticks skipped because the previous run of the scenario was still going. */
  skipped: number;
  last?: {
    figures: BaselineFigures;
    passed: boolean;
    regressed: boolean;
    aborted: boolean;
    /** Unix seconds when the run ended. */
    endedAtS: number;
    file: string;
  };
  /** The last capacity search, when the scenario has a `capacity:` block. */
  capacity?: { maxSustainableQps: number | null; aborted: boolean; endedAtS: number; file: string };
}
