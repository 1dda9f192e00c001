/**
 * A bounded table of values shared by key, in two generations: a value
 * looked up again after the current generation filled up is found in the
 * previous one and carried over, so values repeated across the fleet stay
 * shared while values seen once (timestamps, unique messages) fall out
 * after two generations. Memory is bounded by twice `size` entries.
 */
export class InternTable<T> {
  private current = new Map<string, T>();
  private previous = new Map<string, T>();

  constructor(private readonly size: number) {}

  /** The value kept for `key`, or `value`, kept from now on. */
  share(key: string, value: T): T {
    const known = this.current.get(key);
    if (known !== undefined) return known;
    const older = this.previous.get(key);
    const kept = older !== undefined ? older : value;
    if (this.current.size >= this.size) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, kept);
    return kept;
  }
}
