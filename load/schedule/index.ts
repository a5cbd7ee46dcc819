export { createScheduler, type Scheduler, type SchedulerOptions, type ScenarioRunner } from './scheduler.ts';
export { loadScheduleConfig, finishScheduleConfig, scheduleConfigSchema, validateCron, type ScheduleConfig, type ScheduledScenario, type RegressionLimits } from './config.ts';
export { History, readRecord, RUN_RECORD_SCHEMA, type RunRecord } from './history.ts';
export { judgeRun, medianBaseline, figuresOf, type Verdict, type Baseline, type BaselineFigures, type RegressionCheck } from './regression.ts';
export { registerScheduleMetrics } from './metrics.ts';
export { startScheduleServer } from './server.ts';
export { cronJobManifests, type CronJobOptions } from './cronjob.ts';
export type { ScenarioState } from './state.ts';
export { scheduleErrors } from './errors.ts';
