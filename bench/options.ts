/** Every count is a flag (`--zero-events=8000`) or an env variable (`BENCH_ZERO_EVENTS=8000`); flags win. */
export interface BenchOptions {
  quick: boolean
  /** Zero-latency run: rounds, events per measurement (each path) and warm-up events per path. */
  zeroRounds: number
  zeroEvents: number
  zeroWarmup: number
  /** Network-bound run: the sink's answer delay, rounds, and events per measurement for single and batch paths. */
  delayMs: number
  delayedRounds: number
  delayedSingle: number
  delayedBatch: number
  /** Events in flight at once on the single paths (a), (b), (d): 1 means each event waits for the previous one. */
  singleConcurrency: number
  /** Events through each of the single and batch paths for the heap-growth runs. */
  heapEvents: number
  /** Events through (b) without draining `Destination.responses`, to show what actions-core itself retains. */
  retentionEvents: number
  /** Events in flight at once on the single path during its heap run (the batch path has its own ≤10). */
  heapConcurrency: number
  /** `--profile` (= `--profile=a,b`): profile these zero-latency paths instead of running the bench. */
  profile: string[]
  profileEvents: number
}

const FULL: Omit<BenchOptions, 'quick' | 'profile'> = {
  zeroRounds: 5,
  zeroEvents: 3000,
  zeroWarmup: 1000,
  delayMs: 20,
  delayedRounds: 3,
  delayedSingle: 100,
  delayedBatch: 1000,
  singleConcurrency: 1,
  heapEvents: 100_000,
  heapConcurrency: 10,
  retentionEvents: 2000,
  profileEvents: 10_000
}

const QUICK: typeof FULL = {
  ...FULL,
  zeroRounds: 2,
  zeroEvents: 300,
  zeroWarmup: 100,
  delayedRounds: 1,
  delayedSingle: 20,
  delayedBatch: 200,
  heapEvents: 2000,
  retentionEvents: 300,
  profileEvents: 1000
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const envName = (key: string) => `BENCH_${kebab(key).replace(/-/g, '_').toUpperCase()}`

/** The counts as the flags that would reproduce them. */
export function describeOptions(options: BenchOptions): string {
  return (Object.keys(FULL) as (keyof typeof FULL)[]).map((key) => `--${kebab(key)}=${options[key]}`).join(' ')
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = new Map<string, string>()
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    if (!match) {
      throw new Error(`Unknown argument ${arg}`)
    }
    flags.set(match[1], match[2] ?? '')
  }
  const quick = flags.has('quick') || env.BENCH_QUICK === '1'
  const base = quick ? QUICK : FULL
  const counts = { ...base }
  for (const key of Object.keys(base) as (keyof typeof base)[]) {
    const raw = flags.get(kebab(key)) ?? env[envName(key)]
    if (raw !== undefined) {
      const value = Number(raw)
      if (!Number.isInteger(value) || value < 0) {
        throw new Error(`--${kebab(key)} must be a non-negative integer, got "${raw}"`)
      }
      counts[key] = value
    }
    flags.delete(kebab(key))
  }
  const profile = flags.has('profile') ? (flags.get('profile') || 'a,b').split(',') : []
  flags.delete('profile')
  flags.delete('quick')
  if (flags.size > 0) {
    throw new Error(`Unknown flag(s): ${[...flags.keys()].map((f) => `--${f}`).join(', ')}`)
  }
  if (counts.singleConcurrency < 1 || counts.heapConcurrency < 1) {
    throw new Error('--single-concurrency and --heap-concurrency must be at least 1')
  }
  return { ...counts, quick, profile }
}
