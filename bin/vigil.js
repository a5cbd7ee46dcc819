#!/usr/bin/env node
// The package's executable: the compiled CLI (dist/, built by `npm run build`, which `npm ci` and
// `npm pack` run through `prepare`). bin/vigil-dev.js runs the TypeScript sources instead.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
