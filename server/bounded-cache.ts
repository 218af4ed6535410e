/**
 * A least-recently-used cache of at most `capacity` entries, with its hit rate:
 * per process, so each server instance (or serverless function) warms its own.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V) {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K) {
    this.entries.delete(key);
  }

  /** The value for `key`, computed (and remembered) on a miss. */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = await load();
    this.set(key, value);
    return value;
  }

  stats() {
    const lookups = this.hits + this.misses;
    return { size: this.entries.size, capacity: this.capacity, hits: this.hits, misses: this.misses, hitRate: lookups ? this.hits / lookups : null };
  }
}
