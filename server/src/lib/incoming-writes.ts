/**
 * Requests whose bytes are still arriving (upload PATCHes). Bulk reads look at it to make room:
 * on a server saturated by browsers asking for 1,000-row pages, the event loop otherwise goes to
 * whoever asks most often, and uploads crawl (see RowTurns' rest).
 */
export class IncomingWrites {
  private active = 0;

  async during<T>(work: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
    }
  }

  get count(): number {
    return this.active;
  }
}
