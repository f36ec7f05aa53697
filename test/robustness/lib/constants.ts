/**
 * Shared constants of the robustness suite (jest tests in `test/robustness/` and `npm run robustness`).
 */

/** A recognisable key: any leak into a message, body, header or log line is easy to find. */
export const SECRET_KEY = 'sk-ROBUSTNESS-SECRET-7f3e9c1d'
export const SECRET_SETTINGS = Object.freeze({ apiKey: SECRET_KEY })

/** Cases per action of the property-based hostile-input run (`ROBUSTNESS_RUNS` overrides it). */
export const DEFAULT_RUNS = 10_000

export function hostileRuns(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.ROBUSTNESS_RUNS)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_RUNS
}

/** Fixed seeds, so every run (jest or the report) tries exactly the same cases. */
export const SEEDS = {
  identify: 0x1d3e7,
  track: 0x7a0c4,
  trackBatch: 0xba7c4,
  identifyBatch: 0xba7c1,
  delete: 0xde1e7,
  faults: 0x5eed5
} as const
