import { availableParallelism } from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { HostileAction, HostileStats } from './hostile'

/**
 * Runs the hostile-input properties on worker threads, one worker per core (at most one per action).
 *
 * Why: 10,000 cases of each of five actions cost over 100 s of CPU inside jest's module sandbox, on one thread,
 * most of it actions-core's own per-event work (mapping validation, schema validation, the request client) and the
 * loopback HTTP round trips. In plain Node threads the same cases cost about 80 s of CPU, spread over the cores:
 * about 45 s of wall time on two. Each worker is a full `HostileRunner` (its own destination and loopback stand-in)
 * running `fc.assert` with the same fixed seeds, so the cases are exactly those of an in-process run. */

export interface HostileJob {
  action: HostileAction
  seed: number
  numRuns: number
}

export interface HostileResult extends HostileJob {
  ms: number
  stats: HostileStats
  /** fast-check's report (seed, shrunk counterexample, cause) when the property failed. */
  failure?: string
  uncaught: string[]
  /** Built-in prototypes that differ from their state when the worker started. */
  prototypeProblems: string[]
}

export type PoolRequest = ({ type: 'run' } & HostileJob) | { type: 'stop' }
export type PoolReply =
  { type: 'ready' } | { type: 'result'; result: HostileResult } | { type: 'crashed'; message: string }

/** Slowest first, so the longest property starts first (the batch ones cost two to three times the others). */
const COST_ORDER: readonly HostileAction[] = ['trackBatch', 'identifyBatch', 'track', 'identify', 'delete']

// The worker is plain Node: it registers ts-node (transpile only, the project's tsconfig) and loads the TS entry.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads')
require(workerData.tsNode).register({ transpileOnly: true, project: workerData.tsconfig })
require(workerData.entry)
`

export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const requested = Number(env.ROBUSTNESS_WORKERS)
  return Number.isInteger(requested) && requested > 0 ? requested : availableParallelism()
}

export interface HostilePool {
  /** The result of one action (rejects if its worker crashed). */
  result(action: HostileAction): Promise<HostileResult>
  /** Every result, in the order of `jobs`. */
  all(): Promise<HostileResult[]>
  /** Terminates the workers (idempotent). */
  close(): Promise<void>
}

export function startHostilePool(jobs: readonly HostileJob[], workerCount = defaultWorkerCount()): HostilePool {
  const queue = [...jobs].sort((a, b) => COST_ORDER.indexOf(a.action) - COST_ORDER.indexOf(b.action))
  const settle = new Map<HostileAction, { resolve(r: HostileResult): void; reject(e: Error): void }>()
  const promises = new Map<HostileAction, Promise<HostileResult>>()
  for (const job of jobs) {
    const promise = new Promise<HostileResult>((resolve, reject) => settle.set(job.action, { resolve, reject }))
    promise.catch(() => undefined) // rejections are observed through result() / all()
    promises.set(job.action, promise)
  }
  const failAll = (error: Error) => {
    for (const { reject } of settle.values()) reject(error)
  }

  const workers = Array.from({ length: Math.max(1, Math.min(workerCount, jobs.length)) }, () => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        tsNode: require.resolve('ts-node'),
        tsconfig: path.resolve(__dirname, '../../../tsconfig.json'),
        entry: path.join(__dirname, 'hostile-worker.ts')
      }
    })
    const next = () => {
      const job = queue.shift()
      worker.postMessage((job ? { type: 'run', ...job } : { type: 'stop' }) satisfies PoolRequest)
    }
    worker.on('message', (reply: PoolReply) => {
      if (reply.type === 'ready') return next()
      if (reply.type === 'crashed') return failAll(new Error(`hostile worker crashed: ${reply.message}`))
      settle.get(reply.result.action)?.resolve(reply.result)
      next()
    })
    worker.on('error', (error) => failAll(error))
    worker.on('exit', (code) => {
      if (code !== 0) failAll(new Error(`hostile worker exited with code ${code}`))
    })
    return worker
  })

  return {
    result: (action) => promises.get(action) ?? Promise.reject(new Error(`no job for ${action}`)),
    all: () => Promise.all(jobs.map((job) => promises.get(job.action) as Promise<HostileResult>)),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()))
    }
  }
}
