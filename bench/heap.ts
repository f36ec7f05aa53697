import { performance } from 'node:perf_hooks'
import { countUnder, type Sink } from './sink'
import type { Scenario } from './scenarios'

export interface HeapResult {
  key: string
  label: string
  inFlight: string
  events: number
  seconds: number
  startMB: number
  endMB: number
  growthMB: number
  requests: number
  accepted: number
  drained: boolean
}

const MB = 1024 * 1024

function settledHeap(gc: () => void): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/**
 * Heap growth over `events` events through one path: heapUsed after a full collection at the end minus the same at
 * the start. With `drain`, `Destination.responses` (actions-core keeps every response there) is emptied after every
 * `chunk` events, as a long-running host has to; without it, the figure includes what the framework retains.
 */
export async function heapGrowth(
  scenario: Scenario,
  sink: Sink,
  events: number,
  gc: () => void,
  { drain = true, chunk = 1000 } = {}
): Promise<HeapResult> {
  scenario.drain()
  const requestsBefore = countUnder(await sink.stats(), scenario.base)
  const acceptedBefore = scenario.accepted
  const start = settledHeap(gc)
  const began = performance.now()
  for (let done = 0; done < events; done += chunk) {
    await scenario.send(Math.min(chunk, events - done))
    if (drain) {
      scenario.drain()
    }
  }
  const seconds = (performance.now() - began) / 1000
  const end = settledHeap(gc)
  const requests = countUnder(await sink.stats(), scenario.base) - requestsBefore
  scenario.drain()
  return {
    key: scenario.key,
    label: scenario.label,
    inFlight: scenario.inFlight,
    events,
    seconds,
    startMB: start / MB,
    endMB: end / MB,
    growthMB: (end - start) / MB,
    requests,
    accepted: scenario.accepted - acceptedBefore,
    drained: drain
  }
}
