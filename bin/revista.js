#!/usr/bin/env node
// `npx revista …`: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { runFromCommandLine } = await import('../src/cli/main.ts');
await runFromCommandLine(process.argv.slice(2));
