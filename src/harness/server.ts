import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listen, readBody, type Listening } from '../loopback'
import { corsHeaders, isAllowedOrigin } from './cors'
import { buildManifest } from './manifest'
import {
  buildDefinition,
  HarnessRequestError,
  runAction,
  runAuthenticate,
  runDelete,
  type HarnessConfig,
  type HarnessTarget
} from './run-action'

export interface HarnessOptions {
  /** Default 0: a free port. */
  port?: number
  /** Default 127.0.0.1 (loopback only). */
  host?: string
  target: HarnessTarget
  timeoutMs?: number
  batchConcurrency?: number
  /** Largest accepted request body, in bytes. Default 5 MiB. */
  maxBodyBytes?: number
}

/** `url` is e.g. `http://127.0.0.1:3000` (no trailing slash). */
export type Harness = Listening

/** The routes, as `startHarness` prints them; `/<actionKey>` stands for one route per action. */
export const HARNESS_ROUTES = ['GET /manifest', 'POST /authenticate', 'POST /<actionKey>', 'POST /delete'] as const

const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
const RESERVED = new Set(['manifest', 'authenticate', 'delete'])

/**
 * Starts the actions test harness: the routes of Segment's `actions serve` (manifest, authenticate, one per action,
 * delete), answering with the HTTP exchanges each call made, credentials redacted.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const config: HarnessConfig = {
    target: options.target,
    timeoutMs: options.timeoutMs,
    batchConcurrency: options.batchConcurrency
  }
  const definition = buildDefinition(config)
  const manifest = buildManifest(definition as never)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never echo the error: it may hold request data. The harness's own bug, so a generic 500.
      process.stderr.write(`harness: internal error on ${req.method} ${safePath(req)}: ${(error as Error)?.name}\n`)
      if (!res.headersSent && !res.destroyed) send(res, 500, { ok: false, error: 'internal harness error' })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = corsHeaders(req)
    const origin = req.headers.origin
    if (typeof origin === 'string' && !isAllowedOrigin(origin)) {
      // Browsers from other sites may not drive the harness at all (it may hold a real key's session).
      req.resume()
      return send(res, 403, { ok: false, error: 'origin not allowed' })
    }
    if (req.method === 'OPTIONS') {
      req.resume()
      res.writeHead(204, { ...cors, 'content-length': '0' })
      res.end()
      return
    }
    const path = safePath(req)
    const route = path.replace(/^\/+|\/+$/g, '')

    if (route === 'manifest') {
      req.resume()
      if (req.method !== 'GET') return send(res, 405, { ok: false, error: 'use GET /manifest' }, cors, 'GET')
      return send(res, 200, manifest, cors)
    }
    const isAction = !RESERVED.has(route) && Object.prototype.hasOwnProperty.call(definition.actions, route)
    if (!RESERVED.has(route) && !isAction) {
      req.resume()
      return send(res, 404, { ok: false, error: `no route ${req.method} /${route}` }, cors)
    }
    if (req.method !== 'POST') {
      req.resume()
      return send(res, 405, { ok: false, error: `use POST /${route}` }, cors, 'POST')
    }

    let body: Record<string, unknown>
    try {
      body = await readJsonObject(req, maxBodyBytes)
    } catch (error) {
      const status = error instanceof HarnessRequestError ? error.status : 400
      return send(res, status, { ok: false, error: (error as Error).message }, cors)
    }

    try {
      const result =
        route === 'authenticate'
          ? await runAuthenticate(config, body)
          : route === 'delete'
            ? await runDelete(config, body)
            : await runAction(config, route, body)
      send(res, 200, result, cors)
    } catch (error) {
      if (!(error instanceof HarnessRequestError)) throw error
      send(res, error.status, { ok: false, error: error.message }, cors)
    }
  }

  return listen(server, { port: options.port, host: options.host })
}

function safePath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://harness.local').pathname
  } catch {
    return '/'
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
  allow?: string
): void {
  if (res.destroyed) return
  const text = JSON.stringify(body, null, 2)
  res.writeHead(status, {
    ...extraHeaders,
    ...(allow ? { allow } : {}),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** The request body as a JSON object; anything else is a 400 (413 past the size limit, 415 for non-JSON). */
async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const type = req.headers['content-type']
  // JSON only: a cross-site "simple" request (text/plain, forms) can never reach an action.
  if (typeof type !== 'string' || !/^application\/(.+\+)?json\b/i.test(type.trim())) {
    req.resume()
    throw new HarnessRequestError('send the request body as JSON (Content-Type: application/json)', 415)
  }
  const body = await readBody(req, limit)
  if (body === undefined) throw new HarnessRequestError('the request body did not arrive whole')
  if (body === 'too_large') throw new HarnessRequestError(`request body larger than ${limit} bytes`, 413)
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    // The parser's message quotes the body, which may hold a key: say only that it is not JSON.
    throw new HarnessRequestError('malformed JSON body: the request body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HarnessRequestError('the request body must be a JSON object')
  }
  return parsed as Record<string, unknown>
}
