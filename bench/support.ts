// What every benchmark script shares: its log prefix, rounding, nearest-rank
// percentiles, and how it ends (exit 0 after reporting, even on a missed target;
// non-zero only when it crashed).

export const log = (line: string) => console.log(`[bench] ${line}`);
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending list (NaN when it is empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function runBenchmark(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    },
  );
}
