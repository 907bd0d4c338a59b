import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { DatabaseInUseError, lockDirectory, type LockHolder } from './lock.ts';

/** Field 22 of /proc/<pid>/stat (start time in ticks after boot), read here independently of lock.ts. */
function startTimeOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-lock-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let dirs = 0;
const freshDir = () => path.join(root, `db${++dirs}`);

/**
 * A separate Node process that takes the lock of a directory when told to, as a Revista process
 * does at start: `go DIR` → it answers `held` or `refused <message>`; `release` → `released`.
 */
interface Contender {
  child: ChildProcess;
  next(): Promise<string>;
  send(line: string): void;
}

const CONTENDER = `
  import readline from 'node:readline';
  const { lockDirectory } = await import(${JSON.stringify(new URL('./lock.ts', import.meta.url).href)});
  let lock;
  const say = (line) => process.stdout.write(line + '\\n');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.startsWith('go ')) {
      try {
        lock = await lockDirectory(line.slice(3), 'contender');
        say('held');
      } catch (error) {
        say('refused ' + error.message.replace(/\\n/g, ' '));
      }
    } else if (line === 'release') {
      lock?.release();
      lock = undefined;
      say('released');
    }
  }
`;

async function startContender(): Promise<Contender> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CONTENDER], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const lines = readline.createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : queue.push(line)));
  child.on('exit', () => waiting.splice(0).forEach((resolve) => resolve('exited')));
  return {
    child,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    send: (line) => child.stdin!.write(`${line}\n`),
  };
}

async function stopContenders(contenders: Contender[]): Promise<void> {
  await Promise.all(
    contenders.map(async (c) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) return;
      const exited = new Promise((resolve) => c.child.once('exit', resolve));
      c.child.stdin!.end();
      await exited;
    }),
  );
}

describe('the data directory lock', () => {
  it('is held by exactly one of three processes that ask at the same moment, round after round', { timeout: 120_000 }, async () => {
    const contenders = await Promise.all([startContender(), startContender(), startContender()]);
    try {
      // The module is loaded in every process before the first round; the rounds start together.
      for (const contender of contenders) contender.send(`go ${freshDir()}`);
      assert.deepEqual(await Promise.all(contenders.map((c) => c.next())), ['held', 'held', 'held']);
      for (const contender of contenders) contender.send('release');
      await Promise.all(contenders.map((c) => c.next()));

      for (let round = 0; round < 60; round++) {
        const dir = freshDir();
        // Every other round starts from a lock left by a process that died (kill -9): all three see it stale at once.
        if (round % 2 === 1) fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 2 ** 22 + 4321, command: 'revista start', since: '2026-01-01T00:00:00.000Z' }));
        for (const contender of contenders) contender.send(`go ${dir}`);
        const answers = await Promise.all(contenders.map((c) => c.next()));
        const held = answers.filter((answer) => answer === 'held').length;
        assert.equal(held, 1, `round ${round + 1}: ${answers.join(' | ')}`);
        for (const answer of answers.filter((a) => a !== 'held')) assert.match(answer, /^refused the embedded database in .* is in use by another Revista process \(pid \d+, "contender", since /);
        for (const contender of contenders) contender.send('release');
        await Promise.all(contenders.map((c) => c.next()));
        assert.equal(fs.existsSync(`${dir}.lock`), false, 'the holder removed its lock file on release');
      }
    } finally {
      await stopContenders(contenders);
    }
  });

  it('refuses while a live process holds it, naming that process; takes it once the holder is killed (kill -9)', async () => {
    const dir = freshDir();
    const holder = await startContender();
    try {
      holder.send(`go ${dir}`);
      assert.equal(await holder.next(), 'held');
      await assert.rejects(lockDirectory(dir, 'revista migrate'), (error: unknown) => {
        assert.ok(error instanceof DatabaseInUseError);
        assert.equal(error.holder.pid, holder.child.pid);
        assert.match(error.message, new RegExp(`in use by another Revista process \\(pid ${holder.child.pid}, "contender", since \\d{4}-`));
        assert.match(error.message, /DATABASE_URL/);
        return true;
      });
      // The file only names the holder: without it the directory is still refused.
      fs.rmSync(`${dir}.lock`);
      await assert.rejects(lockDirectory(dir, 'revista migrate'), DatabaseInUseError);
      holder.child.kill('SIGKILL');
      await new Promise((resolve) => holder.child.once('exit', resolve));
    } finally {
      await stopContenders([holder]);
    }
    const lock = await lockDirectory(dir, 'revista migrate');
    assert.equal(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(fs.existsSync(lock.file), false);
  });

  it('is refused to a second taker in the same process', async () => {
    const dir = freshDir();
    const lock = await lockDirectory(dir, 'revista start');
    await assert.rejects(lockDirectory(dir, 'revista start'), (error: unknown) => error instanceof DatabaseInUseError && error.holder.pid === process.pid);
    lock.release();
    (await lockDirectory(dir, 'revista start')).release();
  });

  describe('a holder file left behind', () => {
    const ours = { net: fs.readlinkSync('/proc/self/ns/net'), pid: fs.readlinkSync('/proc/self/ns/pid'), boot: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() };
    const otherNet = 'net:[1]';
    const otherPid = 'pid:[1]';
    let sleeper: ChildProcess;
    let sleeperStart: number;

    /** Writes a holder file for `dir` as a process described by `holder` would have. */
    function leave(dir: string, holder: Partial<LockHolder>): void {
      fs.writeFileSync(`${dir}.lock`, JSON.stringify({ command: 'revista start', since: new Date().toISOString(), ...holder }));
    }
    async function takes(dir: string): Promise<void> {
      const lock = await lockDirectory(dir, 'revista migrate');
      assert.equal(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid, process.pid);
      lock.release();
    }
    async function refuses(dir: string, pid: number, message?: RegExp): Promise<void> {
      await assert.rejects(lockDirectory(dir, 'revista migrate'), (error: unknown) => {
        assert.ok(error instanceof DatabaseInUseError, String(error));
        assert.equal(error.holder.pid, pid);
        if (message) assert.match(error.message, message);
        return true;
      });
      assert.equal(JSON.parse(fs.readFileSync(`${dir}.lock`, 'utf8')).pid, pid, 'the refused process left the holder file alone');
    }

    // An unrelated live process whose pid the files below claim, as after a pid was reused.
    before(async () => {
      sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      sleeperStart = startTimeOf(sleeper.pid!);
      assert.ok(sleeperStart > 0);
    });
    after(() => sleeper?.kill('SIGKILL'));

    it('from this machine and network: taken over even when its pid now belongs to a live process', async () => {
      const dir = freshDir();
      leave(dir, { pid: sleeper.pid!, bootId: ours.boot, netns: ours.net, pidns: ours.pid, startTime: sleeperStart - 1, hostname: os.hostname() });
      await takes(dir);
    });

    it('from another network namespace with our pids: live only when the pid is the same process (start time)', async () => {
      const reused = freshDir();
      leave(reused, { pid: sleeper.pid!, bootId: ours.boot, netns: otherNet, pidns: ours.pid, startTime: sleeperStart + 7 });
      await takes(reused);
      const live = freshDir();
      leave(live, { pid: sleeper.pid!, bootId: ours.boot, netns: otherNet, pidns: ours.pid, startTime: sleeperStart });
      await refuses(live, sleeper.pid!);
      const dead = freshDir();
      leave(dead, { pid: 2 ** 22 + 77, bootId: ours.boot, netns: otherNet, pidns: ours.pid, startTime: 5 });
      await takes(dead);
    });

    it('from another container (network and pid namespaces we cannot see): refused with how to clear it, unless the machine restarted since', async () => {
      const container = freshDir();
      leave(container, { pid: 7, bootId: ours.boot, netns: otherNet, pidns: otherPid, startTime: 5, hostname: 'a1b2c3d4e5f6' });
      await refuses(container, 7, new RegExp(`\\(pid 7, "revista start", since \\S+, on a1b2c3d4e5f6\\)\\..* delete ${container.replace(/[/.]/g, '\\$&')}\\.lock\\.$`));
      const rebooted = freshDir();
      leave(rebooted, { pid: 7, bootId: '00000000-0000-0000-0000-000000000000', netns: otherNet, pidns: otherPid, startTime: 5, hostname: 'a1b2c3d4e5f6' });
      await takes(rebooted);
    });

    it('written by an older Revista (pid, command, since): live only if that pid started before the file was written', async () => {
      const reused = freshDir();
      leave(reused, { pid: sleeper.pid!, since: new Date(Date.now() - 3_600_000).toISOString() });
      await takes(reused);
      const live = freshDir();
      leave(live, { pid: sleeper.pid!, since: new Date(Date.now() + 5_000).toISOString() });
      await refuses(live, sleeper.pid!, /\(pid \d+, "revista start", since \S+\)\. PGlite/);
      const dead = freshDir();
      leave(dead, { pid: 2 ** 22 + 12345 });
      await takes(dead);
    });

    it('unreadable: taken over', async () => {
      const dir = freshDir();
      fs.writeFileSync(`${dir}.lock`, 'garbage');
      await takes(dir);
    });
  });

  it('removes its holder file on release only while the file is its own', async () => {
    const dir = freshDir();
    const lock = await lockDirectory(dir, 'revista start');
    const mode = fs.statSync(lock.file).mode & 0o777;
    assert.equal(mode & 0o077, 0, `the holder file is private (${mode.toString(8)})`);
    fs.writeFileSync(lock.file, JSON.stringify({ pid: 1, command: 'someone else', since: 'x' }));
    lock.release();
    assert.equal(fs.existsSync(lock.file), true);
  });
});
