#!/usr/bin/env node
// Development entry: registers the TypeScript loader (tsx) and runs the CLI from its sources, so
// an edit needs no rebuild. Slower to start than bin/vigil.js (the compiled package entry).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
