export { importK6Summary, type K6ImportOptions } from './import.ts';
