import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { prepareDataDir } from '../runtime.ts';
import { loadRobotPatterns, ROBOTS_FILE_NAME } from '../stats/index.ts';
import { parseOptions, UsageError, type Command } from './command.ts';

/** `revista stats robots --file FILE`: checks a newer COUNTER robots list and puts it in use at the next start. */
export const statsCommand: Command = {
  name: 'stats',
  usage: 'revista stats robots --file COUNTER_Robots_list.json',
  summary: 'refresh the COUNTER robots list used to leave crawlers out of usage statistics (takes effect at the next start)',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'robots') throw new UsageError(action ? `unknown action: ${action}` : 'say robots');
    const options = parseOptions(rest, ['file']);
    if (!options.file) throw new UsageError('--file is required (the list from https://github.com/atmire/COUNTER-Robots)');
    let json: string;
    try {
      json = fs.readFileSync(options.file, 'utf8');
    } catch (error) {
      io.err(`revista stats: cannot read ${options.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return 1;
    }
    let count: number;
    try {
      count = loadRobotPatterns(json).length;
    } catch (error) {
      io.err(`revista stats: ${(error as Error).message}`);
      return 1;
    }
    const config = loadConfig(io.env);
    prepareDataDir(config.dataDir, (line) => io.err(`revista stats: ${line}`));
    const target = path.join(config.dataDir, ROBOTS_FILE_NAME);
    fs.writeFileSync(`${target}.tmp`, json);
    fs.renameSync(`${target}.tmp`, target);
    io.out(`${count} robot patterns saved to ${target}; restart Revista to use them`);
    return 0;
  },
};
