import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Listening {
  url: string
  port: number
  /** Stops accepting and ends every connection, keep-alive and in-flight ones included; safe to call twice. */
  stop(): Promise<void>
}

/**
 * Starts `server` on `host:port` (port 0: any free one; loopback unless told otherwise). Used by the emulator, the
 * harness and the test servers, so that none of them can keep a test run or a Ctrl+C waiting on an idle client.
 */
export async function listen(server: Server, { port = 0, host = '127.0.0.1' } = {}): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return stopping
  }
  return { url: `http://${hostInUrl}:${address.port}`, port: address.port, stop }
}

/**
 * Reads a request body of at most `limit` bytes: the bytes, `'too_large'` (the rest is drained, not kept), or
 * undefined when the client went away before the end.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
    req.on('close', () => {
      if (!req.complete) resolve(undefined)
    })
  })
}
