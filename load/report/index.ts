export { renderLoadReport } from './render.ts';
export { buildChartData, type ReportChartData } from './data.ts';
export { percentileSpectrum, spectrumFromSummary, type SpectrumPoint } from './spectrum.ts';
export { formatComparison } from './compare-table.ts';
export { decodeResultHistogram, encodeResultHistogram, addHistograms, summarizeUs, emptyHistogram } from './hdr.ts';
