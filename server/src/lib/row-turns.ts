/** The longest rest after one turn, so a turn slowed by a busy machine does not hold the next for long. */
const MAX_REST_MS = 1000;

/**
 * Admits work by its size (rows of a page) up to a capacity; the rest waits in arrival order.
 * A page of 1,000 assets costs a hundred times the work of /api/me; with fifty of them asked at
 * once every one was half-done at the same time, so every other request, writes included, waited
 * behind all of them. Held to a capacity, the big pages take turns and short requests pass.
 *
 * Taking turns is not enough while uploads arrive: browsers that ask for the next page as soon as
 * one is answered keep the event loop busy whatever a page costs, and the uploads got a third of
 * their speed. So while `restWhile()` holds, a turn's rows stay taken after it ends for as long
 * again as it took (at most MAX_REST_MS): pages then use at most about half the time and the
 * writes get the rest. The page itself is answered at once; only the next one waits.
 */
export class RowTurns {
  private inUse = 0;
  private readonly waiting: Array<{ rows: number; start: () => void }> = [];

  constructor(
    readonly capacity: number,
    private readonly options: { restWhile?: () => boolean } = {},
  ) {
    if (!(capacity >= 1)) throw new RangeError('RowTurns needs a capacity of at least one row.');
  }

  async run<T>(rows: number, work: () => Promise<T>): Promise<T> {
    // Anything larger than the capacity runs alone; NaN or negative sizes count as one row.
    const size = Math.min(this.capacity, Math.max(1, Number.isFinite(rows) ? Math.ceil(rows) : 1));
    if (this.waiting.length > 0 || this.inUse + size > this.capacity)
      await new Promise<void>((start) => this.waiting.push({ rows: size, start }));
    else this.inUse += size;
    const started = performance.now();
    try {
      return await work();
    } finally {
      const rest = this.options.restWhile?.() ? Math.min(MAX_REST_MS, performance.now() - started) : 0;
      if (rest >= 1) setTimeout(() => this.release(size), rest).unref();
      else this.release(size);
    }
  }

  private release(size: number): void {
    this.inUse -= size;
    this.admit();
  }

  /** Work in progress and waiting, in rows and turns (for tests and metrics). */
  get state(): { inUse: number; waiting: number } {
    return { inUse: this.inUse, waiting: this.waiting.length };
  }

  // First come, first served: a small page never jumps a waiting big one, so no page starves.
  private admit(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0].rows <= this.capacity) {
      const next = this.waiting.shift()!;
      this.inUse += next.rows;
      next.start();
    }
  }
}
