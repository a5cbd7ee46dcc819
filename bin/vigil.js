#!/usr/bin/env node
// The package's executable: registers the TypeScript loader, then hands argv to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
