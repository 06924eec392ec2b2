/** Small helpers for benchmarks: percentiles and a uniform way to print figures. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summary(samples: number[]): { p50: number; p95: number; max: number } {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(Math.max(...samples)),
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function print(title: string, figures: Record<string, unknown>): void {
  console.log(`${title}: ${JSON.stringify(figures)}`);
}
