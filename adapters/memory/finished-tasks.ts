/**
 * The eviction order of the memory store: finished (terminal) tasks in the order they finished,
 * and which of them fall beyond the cap. Tasks that have not finished are never in it.
 */
export class FinishedTasks {
  private readonly order = new Set<string>();

  constructor(readonly cap: number) {
    if (!(cap >= 0)) throw new RangeError('maxFinishedTasks must be 0 or more');
  }

  /** Records that `key` finished (again is a no-op); returns the keys to evict, oldest first. */
  finished(key: string): string[] {
    if (this.order.has(key)) return [];
    this.order.add(key);
    const evicted: string[] = [];
    for (const oldest of this.order) {
      if (this.order.size <= this.cap) break;
      this.order.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  get size(): number {
    return this.order.size;
  }
}
