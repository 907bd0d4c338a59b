#!/usr/bin/env node
// `npx revista …`: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
// Output to a slow pipe waits in memory until it drains; a closed one (`| head`) stops the waiting.
const drained = () =>
  !process.stdout.writableNeedDrain || process.stdout.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => {
        const done = () => {
          process.stdout.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        process.stdout.on('drain', done).on('close', done).on('error', done);
      });
const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, drained });
process.exit(code);
