import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createFileStore, retypeStoredFiles } from '../storage/index.ts';
import { UsageError, type Command } from './command.ts';
import { withDatabase } from './database.ts';

/**
 * `revista files retype [--all]`: records each stored file's type as its bytes show it. The server
 * does this by itself, once, for files stored before types were read from bytes; `--all` reads
 * every file again (after the store was restored from a backup, or a row was edited by hand).
 */
export const filesCommand: Command = {
  name: 'files',
  usage: 'revista files retype [--all]',
  summary: 'record the type of stored files (galleys, covers) as their bytes show it: those not yet read (the server does this at start), or --all',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'retype') throw new UsageError(action ? `unknown action: ${action}` : 'say retype');
    const unknown = rest.filter((a) => a !== '--all');
    if (unknown.length > 0) throw new UsageError(`unknown argument: ${unknown[0]}`);
    const config = loadConfig(io.env);
    return withDatabase(io, 'revista files', async (db) => {
      const report = await retypeStoredFiles(db, createFileStore(path.join(config.dataDir, 'files')), { all: rest.includes('--all') });
      io.out(`read ${report.checked} file(s): ${report.changed} got a new type, ${report.disarmed} are scripts, style sheets or SVG and are only downloaded as bytes, ${report.missing} are missing from the store`);
      return report.missing > 0 ? 1 : 0;
    });
  },
};
