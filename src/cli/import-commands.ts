import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/index.ts';
import { describeImport, IMPORT_TIME_LIMIT_MS, importNativeXml, ImportError, NativeXmlError } from '../interop/ojs/index.ts';
import { connectDatabase } from '../runtime.ts';
import { createFileStore } from '../storage/index.ts';
import { parseOptions, UsageError, type Command } from './command.ts';
import { progressBar } from './progress.ts';

export const importCommand: Command = {
  name: 'import',
  usage: 'revista import ojs-native FILE --journal PATH [--dry-run] [--time-limit MINUTES]',
  summary: `import issues and articles exported from OJS 3.x with its Native XML plugin (re-importing updates; --dry-run only reports; stopped after --time-limit minutes, default ${IMPORT_TIME_LIMIT_MS / 60_000})`,
  async run(args, io) {
    const [format, file, ...rest] = args;
    if (format !== 'ojs-native') throw new UsageError(format ? `unknown import format: ${format} (revista imports ojs-native)` : 'say what to import: ojs-native FILE');
    if (!file || file.startsWith('--')) throw new UsageError('name the Native XML file to import');
    const dryRun = rest.includes('--dry-run');
    const options = parseOptions(rest.filter((a) => a !== '--dry-run'), ['journal', 'time-limit']);
    if (!options.journal) throw new UsageError('--journal is required (the journal’s path, e.g. sm)');
    const minutes = options['time-limit'] === undefined ? undefined : Number(options['time-limit']);
    if (minutes !== undefined && !(minutes > 0 && minutes <= 7 * 24 * 60)) throw new UsageError('--time-limit takes a number of minutes (e.g. 120)');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      io.err(`revista import: no such file: ${file}`);
      return 1;
    }
    const config = loadConfig(io.env);
    const database = await connectDatabase(config, 'revista import');
    try {
      await migrateToLatest(database.db);
      const total = fs.statSync(file).size;
      let bar: ReturnType<typeof progressBar> | undefined;
      let pass = '';
      let shown = 0;
      const summary = await importNativeXml(database.db, createFileStore(path.join(config.dataDir, 'files')), file, {
        journalPath: options.journal,
        dryRun,
        ...(minutes !== undefined ? { timeLimitMs: minutes * 60_000 } : {}),
        baseDir: path.dirname(path.resolve(file)),
        onProgress(progress) {
          if (progress.pass !== pass) {
            bar?.done();
            pass = progress.pass;
            shown = 0;
            bar = progressBar(Math.ceil(total / 1024), progress.pass === 'check' ? 'checking (KB)' : dryRun ? 'dry run (KB)' : 'importing (KB)');
          }
          const kb = Math.floor(progress.bytesRead / 1024);
          bar!.tick(kb - shown);
          shown = kb;
        },
      });
      bar?.done();
      for (const line of describeImport(summary)) io.out(line);
      return 0;
    } catch (error) {
      if (error instanceof NativeXmlError || error instanceof ImportError) {
        io.err(`revista import: ${file}: ${error.message}`);
        if (!(error instanceof ImportError && error.committed > 0)) io.err('nothing was imported');
        return 1;
      }
      throw error;
    } finally {
      await database.close();
    }
  },
};
