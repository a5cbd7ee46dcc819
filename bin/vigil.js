#!/usr/bin/env node
// The package's executable: the compiled CLI (dist/, built by `npm run build`, which `npm ci` and
// `npm pack` run through `prepare`). bin/vigil-dev.js runs the TypeScript sources instead.
// `vigil --version` (or -V) alone is answered from the version constant without loading commander
// and the command table (~0.03 s of CPU; what commander would print: the version and a newline).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('../dist/cli/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv);
}
