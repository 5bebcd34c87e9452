/**
 * Fetches a chain of items (pulled pages: each request needs the one before it) ahead of the
 * consumer, at most `depth` items ahead, so the server is making the next page while the desktop
 * applies the ones it has. The consumer gets the items in order; a failure reaches it after the
 * items fetched before it, and ends the chain.
 */
export class ReadAhead<T> {
  private readonly items: T[] = [];
  private failure: { error: unknown } | null = null;
  private done = false;
  private stopped = false;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private readonly fetchAfter: (previous: T | null) => Promise<T> | null;
  private readonly depth: number;

  /**
   * @param fetchAfter the request for the item after `previous` (null: the first one), or null
   *   when `previous` was the last.
   */
  constructor(fetchAfter: (previous: T | null) => Promise<T> | null, depth: number) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError('depth must be a positive integer');
    this.fetchAfter = fetchAfter;
    this.depth = depth;
    void this.produce();
  }

  /** The next item in order, or null after the last one. */
  async next(): Promise<T | null> {
    while (this.items.length === 0) {
      if (this.failure) throw this.failure.error;
      if (this.done) return null;
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
    const item = this.items.shift() as T;
    this.wake('producer');
    return item;
  }

  /** No further requests are made (the consumer has given up). */
  stop(): void {
    this.stopped = true;
    this.wake('producer');
  }

  private async produce(): Promise<void> {
    let previous: T | null = null;
    try {
      for (;;) {
        while (this.items.length >= this.depth && !this.stopped) await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        if (this.stopped) break;
        const request = this.fetchAfter(previous);
        if (request === null) break;
        const item: T = await request;
        this.items.push(item);
        previous = item;
        this.wake('consumer');
      }
    } catch (error) {
      this.failure = { error };
    }
    this.done = true;
    this.wake('consumer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const resolve = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = null;
    else this.wakeProducer = null;
    resolve?.();
  }
}
