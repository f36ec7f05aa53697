import { performance } from 'node:perf_hooks'
import { countUnder, type Sink } from './sink'
import type { PathKey, Scenario } from './scenarios'

export interface PathResult {
  key: PathKey
  label: string
  inFlight: string
  /** Events per second, one per round. */
  rates: number[]
  /** CPU time (user + system, all threads of this process) per event in µs, one per round. */
  cpuUs: number[]
  /** Every event this path sent in the run, warm-up included, and what the sink and the path saw of them. */
  events: number
  requests: number
  accepted: number
  lastError?: string
}

export interface RunPlan {
  rounds: number
  warmup: (scenario: Scenario) => number
  events: (scenario: Scenario) => number
  gc: () => void
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** One measurement; the heap is collected first so no path pays for another's garbage. */
async function timed(scenario: Scenario, count: number, gc: () => void): Promise<{ rate: number; cpuUs: number }> {
  scenario.drain()
  gc()
  const cpu = process.cpuUsage()
  const start = performance.now()
  await scenario.send(count)
  const seconds = (performance.now() - start) / 1000
  const { user, system } = process.cpuUsage(cpu)
  return { rate: count / seconds, cpuUs: (user + system) / count }
}

/**
 * Warms every path up, then measures them interleaved: each round runs every path once, starting one path later than
 * the round before, so drift and noise on the machine fall on all paths alike.
 */
export async function measureInterleaved(scenarios: Scenario[], sink: Sink, plan: RunPlan): Promise<PathResult[]> {
  for (const scenario of scenarios) {
    await scenario.send(plan.warmup(scenario))
  }
  const rates = new Map<PathKey, number[]>(scenarios.map((s) => [s.key, []]))
  const cpu = new Map<PathKey, number[]>(scenarios.map((s) => [s.key, []]))
  for (let round = 0; round < plan.rounds; round++) {
    for (let i = 0; i < scenarios.length; i++) {
      const scenario = scenarios[(round + i) % scenarios.length]
      const { rate, cpuUs } = await timed(scenario, plan.events(scenario), plan.gc)
      rates.get(scenario.key)?.push(rate)
      cpu.get(scenario.key)?.push(cpuUs)
    }
  }
  scenarios.forEach((s) => s.drain())
  const stats = await sink.stats()
  return scenarios.map((s) => ({
    key: s.key,
    label: s.label,
    inFlight: s.inFlight,
    rates: rates.get(s.key) ?? [],
    cpuUs: cpu.get(s.key) ?? [],
    events: s.sent,
    requests: countUnder(stats, s.base),
    accepted: s.accepted,
    lastError: s.lastError
  }))
}

/** The median over rounds of `key`'s rate divided by `reference`'s rate in the same round. */
export function medianRatio(results: readonly PathResult[], key: PathKey, reference: PathKey): number {
  const of = (k: PathKey) => results.find((r) => r.key === k)?.rates ?? []
  const [top, bottom] = [of(key), of(reference)]
  return median(top.map((rate, round) => rate / bottom[round]))
}

/** The same ratio from CPU time instead of wall time: `reference`'s CPU per event over `key`'s, per round. */
export function medianCpuRatio(results: readonly PathResult[], key: PathKey, reference: PathKey): number {
  const of = (k: PathKey) => results.find((r) => r.key === k)?.cpuUs ?? []
  const [top, bottom] = [of(key), of(reference)]
  return median(top.map((cpuUs, round) => bottom[round] / cpuUs))
}
