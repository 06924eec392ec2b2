/**
 * Admits work by its size (rows of a page) up to a capacity; the rest waits in arrival order.
 * A page of 1,000 assets costs a hundred times the work of /api/me; with fifty of them asked at
 * once every one was half-done at the same time, so every other request, writes included, waited
 * behind all of them. Held to a capacity, the big pages take turns and short requests pass.
 */
export class RowTurns {
  private inUse = 0;
  private readonly waiting: Array<{ rows: number; start: () => void }> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('RowTurns needs a capacity of at least one row.');
  }

  async run<T>(rows: number, work: () => Promise<T>): Promise<T> {
    // Anything larger than the capacity runs alone; NaN or negative sizes count as one row.
    const size = Math.min(this.capacity, Math.max(1, Number.isFinite(rows) ? Math.ceil(rows) : 1));
    if (this.waiting.length > 0 || this.inUse + size > this.capacity)
      await new Promise<void>((start) => this.waiting.push({ rows: size, start }));
    else this.inUse += size;
    try {
      return await work();
    } finally {
      this.inUse -= size;
      this.admit();
    }
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
