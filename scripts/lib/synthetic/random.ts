// Seeded randomness and ids for synthetic records. Nothing here reads the clock or Math.random, so the same seed
// and patient index always give the same record, byte for byte.

/** murmur3's 32-bit finaliser: every input bit flips about half the output bits. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes integers (any safe integer, negative too) into one unsigned 32-bit value. */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    const high = Math.floor(value / 0x100000000);
    h = mix32(Math.imul(h ^ value, 0x01000193) ^ mix32(high + 0x6a09e667));
  }
  return h;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const hex16 = (value: number) => HEX_BYTE[(value >>> 8) & 0xff] + HEX_BYTE[value & 0xff];
const hex32 = (value: number) => hex16(value >>> 16) + hex16(value);

/**
 * A UUID shaped like version 4 (version nibble 4, variant 10xx) derived from its inputs rather than drawn at random,
 * so a record regenerated from the same seed keeps its ids.
 */
export function syntheticUuid(seed: number, stream: number, counter: number): string {
  const a = hash32(seed, stream, counter, 1);
  const b = hash32(seed, stream, counter, 2);
  const c = hash32(seed, stream, counter, 3);
  const d = hash32(seed, stream, counter, 4);
  return `${hex32(a)}-${hex16(b >>> 16)}-${hex16((b & 0x0fff) | 0x4000)}-${hex16(((c >>> 16) & 0x3fff) | 0x8000)}-${hex16(c)}${hex32(d)}`;
}

/** sfc32 (Chris Doty-Humphrey's small fast chaotic generator): fast, and passes PractRand far beyond what we draw. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.a = hash32(seed, 1);
    this.b = hash32(seed, 2);
    this.c = hash32(seed, 3);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 0x100000000;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks an item with probability proportional to its weight. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    let remaining = this.next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) {
      remaining -= item.weight;
      if (remaining < 0) return item;
    }
    return items[items.length - 1];
  }

  /** Gaussian by the Box–Muller transform; the second value of each pair is kept for the next call. */
  normal(mean: number, sd: number): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * spare;
    }
    const u = 1 - this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  }

  /** Log-normal with the given median; `spread` is the standard deviation of its logarithm. */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(this.normal(0, spread));
  }
}
