export * from './self.ts';
export * from './pid.ts';
export * from './prometheus.ts';
export * from './nvidia-smi.ts';
export * from './dcgm.ts';
export * from './exposition.ts';
export * from './from-spec.ts';
