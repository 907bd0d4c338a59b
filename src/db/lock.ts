import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite is a single-process database and does not lock its data directory itself: two processes
 * writing to one directory lose rows silently. Revista takes this lock before opening the directory
 * and refuses to open a directory another live process holds.
 *
 * How (Linux): the lock itself is an abstract-namespace Unix socket named after the directory. Binding
 * it is one atomic step that only one process can win, and the kernel releases it when the process
 * ends in any way (kill -9 included), so there is no stale lock to recognise and no pid to trust.
 * Beside it, the holder file `<dir>.lock` names the holder (pid, command, since) for the refusal
 * message; it is written to a temporary file first and put in place with link/rename, so a reader
 * never sees it half-written.
 *
 * Abstract sockets are per network namespace: a process in another container that shares the
 * directory does not see ours. For that case the holder file also records the boot, the network and
 * pid namespaces and the process start time; a holder file from a namespace we cannot see into is a
 * refusal (unless the machine has rebooted since, or the pid can be checked: same pid namespace and
 * the process with that pid started at the recorded time). Two such processes starting in the very
 * same instant after an unclean stop are the one case this does not exclude.
 *
 * Other systems (no abstract sockets, no /proc): the holder file alone, created with link (atomic, and
 * complete when visible); a holder file whose pid is not alive is replaced. Replacing a stale file is
 * not exclusive there: two processes starting at once after a crash could both take it.
 *
 * The socket's name can be worked out by any local user who can see DATA_DIR, and binding it first
 * would stop Revista from starting (it is refused, "pid unknown"): a denial of service by someone
 * already on the machine, never two writers. A name from a secret file was weighed and left out:
 * deleting that file while the server runs would give the next process another name, and two holders.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const elsewhere = holder.hostname !== undefined && holder.hostname !== os.hostname();
    const where = elsewhere ? `, on ${holder.hostname}` : '';
    const unseen = elsewhere || (holder.netns !== undefined && holder.netns !== namespace('net'));
    const foreign = unseen ? ` If no Revista process uses it any more (another container or machine that stopped without cleaning up), delete ${lockFile}.` : '';
    super(
      `the embedded database in ${path.dirname(lockFile)} is in use by another Revista process ` +
        `(pid ${holder.pid > 0 ? holder.pid : 'unknown'}, "${holder.command}", since ${holder.since}${where}). PGlite serves one process ` +
        `at a time: stop that process first (for the CLI: stop the server, run the command, start ` +
        `it again), or use PostgreSQL through DATABASE_URL, which many processes can share.${foreign}`,
    );
  }
}

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
  hostname?: string;
  /** /proc/sys/kernel/random/boot_id: a different one means the machine restarted since. */
  bootId?: string;
  /** Network and pid namespaces of the holder ('net:[4026531840]'), to know what we can check. */
  netns?: string;
  pidns?: string;
  /** Start of the holder process in clock ticks after boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  startTime?: number;
  /** Written by this lock only; release removes the file only while it still carries it. */
  token?: string;
}

export interface DirectoryLock {
  readonly file: string;
  release(): void;
}

const linux = process.platform === 'linux';

function readProc(file: string): string | undefined {
  if (!linux) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function namespace(kind: 'net' | 'pid'): string | undefined {
  if (!linux) return undefined;
  try {
    return fs.readlinkSync(`/proc/self/ns/${kind}`);
  } catch {
    return undefined;
  }
}

/** When the process started, in clock ticks after boot; undefined when it does not exist (or no /proc). */
export function processStartTime(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces and ')': count from the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** For a holder file written before start times were recorded: did this pid's process start before `since`? */
function startedBefore(pid: number, since: string): boolean | undefined {
  const ticks = processStartTime(pid);
  const bootSeconds = /^btime (\d+)$/m.exec(readProc('/proc/stat') ?? '')?.[1];
  const sinceMs = Date.parse(since);
  if (ticks === undefined || bootSeconds === undefined || Number.isNaN(sinceMs)) return undefined;
  // USER_HZ is 100 on every Linux architecture Node runs on; a second of slack covers rounding.
  return Number(bootSeconds) * 1000 + ticks * 10 <= sinceMs + 1000;
}

function readHolder(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.command === 'string' && typeof holder.since === 'string' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function describeSelf(command: string): LockHolder {
  return {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    hostname: os.hostname(),
    bootId: readProc('/proc/sys/kernel/random/boot_id')?.trim(),
    netns: namespace('net'),
    pidns: namespace('pid'),
    startTime: processStartTime(process.pid),
    token: randomBytes(12).toString('hex'),
  };
}

/**
 * Whether the process a holder file names may still be using the directory. `socketHeld`: we hold the
 * socket lock, so no process in our network namespace does.
 */
function holderIsLive(holder: LockHolder, self: LockHolder, socketHeld: boolean): boolean {
  if (holder.bootId && self.bootId && holder.bootId !== self.bootId) return false;
  if (socketHeld && holder.netns && holder.netns === self.netns) return false;
  const samePids = holder.pidns ? holder.pidns === self.pidns : !holder.hostname || holder.hostname === self.hostname;
  if (!samePids) return true;
  if (holder.pid === self.pid || !isAlive(holder.pid)) return false;
  if (holder.startTime !== undefined) {
    const started = processStartTime(holder.pid);
    return started === undefined ? !linux : started === holder.startTime;
  }
  // A file from before start times were recorded: a process that started after it was written reused the pid.
  return startedBefore(holder.pid, holder.since) ?? true;
}

function socketName(directory: string): string {
  // The directory's parent by device and inode (the same whatever path or mount leads to it) and its name.
  const parent = fs.statSync(path.dirname(path.resolve(directory)), { bigint: true });
  const key = createHash('sha256').update(`${parent.dev}:${parent.ino}:${path.basename(directory)}`).digest('hex').slice(0, 32);
  return `\0revista-db-lock-${key}`;
}

/** Binds the lock socket: 'held' when another process has it; 'unsupported' where abstract sockets are not available. */
function bindSocket(name: string): Promise<net.Server | 'held' | 'unsupported'> {
  return new Promise((resolve) => {
    const server = net.createServer((connection) => connection.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'held' : 'unsupported'));
    server.listen(name, () => {
      // Holding the lock must not keep the process running.
      server.unref();
      resolve(server);
    });
  });
}

/** The holder to name when the socket is taken: its file may still be on its way (it is written right after binding). */
async function currentHolder(file: string): Promise<LockHolder> {
  for (let wait = 0; wait < 20; wait++) {
    const holder = readHolder(file);
    if (typeof holder === 'object' && isAlive(holder.pid)) return holder;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const holder = readHolder(file);
  return typeof holder === 'object' ? holder : { pid: 0, command: 'unknown', since: 'unknown' };
}

/** Puts our holder file in place: created with link when there is none, replacing a stale one with rename. */
function writeHolderFile(file: string, self: LockHolder, socketHeld: boolean): void {
  const temporary = `${file}.${self.pid}.${self.token}`;
  fs.writeFileSync(temporary, JSON.stringify(self), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(temporary, file);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(file);
      if (holder === 'missing') continue;
      if (holder !== 'unreadable' && holderIsLive(holder, self, socketHeld)) throw new DatabaseInUseError(file, holder);
      // The holder ended without cleaning up (kill -9, power loss): replace its file in one step.
      fs.renameSync(temporary, file);
      return;
    }
    throw new Error(`could not take the lock ${file}`);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

export async function lockDirectory(directory: string, command: string): Promise<DirectoryLock> {
  const file = `${directory}.lock`;
  const self = describeSelf(command);
  const bound = linux ? await bindSocket(socketName(directory)) : 'unsupported';
  if (bound === 'held') throw new DatabaseInUseError(file, await currentHolder(file));
  const socket = bound === 'unsupported' ? undefined : bound;
  try {
    writeHolderFile(file, self, socket !== undefined);
  } catch (error) {
    socket?.close();
    throw error;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const current = readHolder(file);
    if (typeof current === 'object' && current.token === self.token) fs.rmSync(file, { force: true });
    socket?.close();
  };
  process.on('exit', release);
  return { file, release };
}
