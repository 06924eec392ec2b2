/**
 * The periodic work of a running Dailies (upload sweep, volume drift scan, lake re-index): each
 * task runs every interval, never twice at once in this process (a slow re-index is not
 * stacked on itself), and a failure is logged and waits for the next turn.
 */
export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: (message: string, error?: unknown) => void) {}

  /** Runs `task` every `intervalMs` from now; an interval of 0 or less turns it off. */
  every(name: string, intervalMs: number, task: () => Promise<unknown>): void {
    if (!(intervalMs > 0)) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error) => this.log(`${name} failed`, error))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    this.timers.push(timer);
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
