export * from './errors.ts';
export * from './common-errors.ts';
export * from './duration.ts';
export * from './units.ts';
export * from './config.ts';
export * from './atomic-write.ts';
export * from './html.ts';
