export * from './table.ts';
export * from './csv.ts';
export * from './jsonl.ts';
export * from './read.ts';
export * from './select.ts';
