/** The package version (kept equal to package.json's by a test; a constant, so --version reads no file). */
export const VERSION = '0.1.0';
