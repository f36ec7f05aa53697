import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listen } from '../../../src/loopback'
import { bodyKindOf, strictErrors } from './schemas'

/** One request as it arrived on the socket. */
export interface SinkRequest {
  method: string
  path: string
  /** Header names and values exactly as sent, in order (`IncomingMessage.rawHeaders`). */
  rawHeaders: string[]
  body: string
  /** The JSON body, or undefined when it did not parse. */
  json: unknown
  /** Strict-schema problems of the body (see `schemas.ts`); a non-empty list was answered with Extole's 400. */
  schemaErrors: string[]
  status: number
}

/**
 * A fast stand-in for Extole on a loopback socket, for the property-based run: it records every request and answers
 * like Extole would, 200 with Extole's success body when the body satisfies the strict schema and 400
 * `binding_error` when it does not (counted as "rejected by Extole").
 */
export interface Sink {
  url: string
  /** The requests received since the last `take()`, in arrival order; clears the list. */
  take(): SinkRequest[]
  stop(): Promise<void>
}

export async function startSink(): Promise<Sink> {
  let received: SinkRequest[] = []
  let counter = 0

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
      let json: unknown
      try {
        json = body === '' ? undefined : JSON.parse(body)
      } catch {
        json = undefined
      }
      const kind = bodyKindOf(path)
      const schemaErrors =
        kind === undefined ? [] : json === undefined ? ['body is not JSON'] : strictErrors(kind, json)
      const id = String(++counter)
      const [status, reply] =
        kind === undefined
          ? [404, extoleError('not_found', 404)]
          : schemaErrors.length > 0
            ? [400, extoleError('binding_error', 400)]
            : [200, successBody(path, id, json)]
      received.push({ method: req.method ?? '', path, rawHeaders: req.rawHeaders, body, json, schemaErrors, status })
      const text = JSON.stringify(reply)
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    })
  })
  const { url, stop } = await listen(server)

  return {
    url,
    take() {
      const out = received
      received = []
      return out
    },
    stop
  }
}

function successBody(path: string, id: string, json: unknown): object {
  if (path === '/v6/events') return { event_id: `ev-${id}`, person_id: `p-${id}` }
  if (path === '/v6/async-events') return { event_id: `ev-${id}` }
  const note = (json as { note?: unknown }).note
  return { status: 'PENDING', note: typeof note === 'string' ? note : null, created_date: new Date().toISOString() }
}

function extoleError(code: string, status: number) {
  return { code, http_status_code: status, message: code, parameters: {}, unique_id: `sink-${code}` }
}
