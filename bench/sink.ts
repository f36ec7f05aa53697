import { fork, type ChildProcess } from 'node:child_process'
import type { SinkReply, SinkRequest } from './sink-server'

export interface SinkStats {
  counts: Record<string, number>
  samples: Record<string, string>
}

export interface Sink {
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** The base URL of one bench path: requests under it are answered after `delayMs` and counted apart. */
  base(delayMs: number, label: string): string
  stats(): Promise<SinkStats>
  close(): Promise<void>
}

/** Requests the sink has answered under `prefix` (a `base(...)` URL or its path). */
export function countUnder(stats: SinkStats, prefix: string): number {
  const path = prefix.replace(/^https?:\/\/[^/]+/, '')
  let total = 0
  for (const [key, count] of Object.entries(stats.counts)) {
    if (key.startsWith(`${path}/`)) {
      total += count
    }
  }
  return total
}

/**
 * Starts the sink in a child process, so parsing and answering requests runs on the other core instead of sharing
 * the event loop (and the GC) of the code being measured.
 */
export function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(require.resolve('./sink-server'), [], {
    execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  let nextId = 0
  const pending = new Map<number, (stats: SinkStats) => void>()

  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`sink exited early (code ${code})`)))
    child.on('message', (reply: SinkReply) => {
      if (reply.type === 'stats') {
        pending.get(reply.id)?.({ counts: reply.counts, samples: reply.samples })
        pending.delete(reply.id)
        return
      }
      const origin = `http://127.0.0.1:${reply.port}`
      resolve({
        origin,
        base: (delayMs, label) => `${origin}/${delayMs}/${label}`,
        stats: () =>
          new Promise((done) => {
            const id = nextId++
            pending.set(id, done)
            child.send({ id, type: 'stats' } satisfies SinkRequest)
          }),
        close: () =>
          new Promise((done) => {
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.disconnect()
          })
      })
    })
  })
}
