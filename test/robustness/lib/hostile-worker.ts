import { parentPort } from 'node:worker_threads'
import { HostileRunner, type HostileAction } from './hostile'
import type { PoolReply, PoolRequest } from './hostile-pool'

/**
 * One worker of the hostile-input pool (see hostile-pool.ts): runs the properties it is handed, one at a time, on its
 * own loopback stand-in, and posts each action's figures back.
 */
async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('hostile-worker.ts runs in a worker thread')
  const runner = await HostileRunner.start()
  const post = (reply: PoolReply) => port.postMessage(reply)
  port.on('message', (request: PoolRequest) => {
    if (request.type === 'stop') {
      void runner.stop().then(() => port.close())
      return
    }
    void run(request.action, request.seed, request.numRuns)
  })
  const run = async (action: HostileAction, seed: number, numRuns: number) => {
    const started = Date.now()
    const { failure } = await runner.assert(action, seed, numRuns)
    post({
      type: 'result',
      result: {
        action,
        seed,
        numRuns,
        ms: Date.now() - started,
        stats: runner.stats[action],
        failure,
        uncaught: [...runner.uncaught],
        prototypeProblems: runner.prototypeProblems()
      }
    })
  }
  post({ type: 'ready' })
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'crashed', message: String((error as Error)?.stack ?? error) } satisfies PoolReply)
})
