export interface BenchResult {
  name: string;
  ms: number;
  /** The figure that matters (rate, ratio against raw, memory), in words. */
  details: string;
}
