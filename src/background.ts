/**
 * Work the server does in its own process when the catalog changes — the search indexer, the
 * reference parser: it looks at the change generation (catalog/changes.ts) four times a second, runs
 * when the generation moved, and also every `everyMs` anyway, for a change whose notice was missed.
 * One run at a time; `stop()` waits for the run in progress.
 */
export interface BackgroundWork {
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  /** Runs at least this often, changes or not. */
  everyMs: number;
  /**
   * The work's own writes send one change notice: when the generation moved by exactly one during a
   * run, that move is taken as its own and does not start another run.
   */
  ownNotice?: boolean;
  /** A failed run is reported here (not while stopping); the next change or interval tries again. */
  onError(error: unknown): void;
}

const LOOK_EVERY_MS = 250;

export function runWhenContentChanges(changes: { generation(): number }, work: (stopped: () => boolean) => Promise<void>, options: BackgroundOptions): BackgroundWork {
  let seen = -1;
  let lastRun = 0;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    const generation = changes.generation();
    if (generation === seen && Date.now() - lastRun < options.everyMs) return;
    seen = generation;
    lastRun = Date.now();
    running = work(() => stopped)
      .then(() => {
        if (options.ownNotice && changes.generation() === seen + 1) seen++;
      })
      .catch((error: unknown) => {
        if (!stopped) options.onError(error);
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, LOOK_EVERY_MS);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
