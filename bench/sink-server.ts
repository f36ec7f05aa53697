/**
 * The loopback sink, run as a child process (see sink.ts). Every request path starts with `/<delayMs>/<label>`, so one
 * server serves both the zero-latency and the 20 ms runs and counts each bench path on its own.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type SinkRequest = { id: number; type: 'stats' }
export type SinkReply =
  | { type: 'ready'; port: number }
  | { type: 'stats'; id: number; counts: Record<string, number>; samples: Record<string, string> }

const REPLY = JSON.stringify({ event_id: 'bench-event', status: 'accepted' })
const counts = new Map<string, number>()
/** The first body seen on each path, kept for the body-parity check. */
const samples = new Map<string, string>()

function answer(res: http.ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPLY) })
  res.end(REPLY)
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const path = req.url ?? '/'
    counts.set(path, (counts.get(path) ?? 0) + 1)
    if (!samples.has(path)) {
      samples.set(path, Buffer.concat(chunks).toString('utf8'))
    }
    const delayMs = Number(path.split('/')[1]) || 0
    if (delayMs > 0) {
      setTimeout(answer, delayMs, res)
    } else {
      answer(res)
    }
  })
})
// Longer than any client's idle timeout, so a kept-alive socket is never closed under a request.
server.keepAliveTimeout = 60_000
server.headersTimeout = 61_000

const send = (reply: SinkReply) => process.send?.(reply)

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }))

process.on('message', (message: SinkRequest) => {
  if (message.type === 'stats') {
    send({ type: 'stats', id: message.id, counts: Object.fromEntries(counts), samples: Object.fromEntries(samples) })
  }
})
// The parent owns this process: when it goes, so does the sink.
process.on('disconnect', () => process.exit(0))
