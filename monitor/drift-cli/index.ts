export * from './options.ts';
export * from './run.ts';
export * from './format.ts';
export * from './histograms.ts';
export * from './report.ts';
