import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listen, readBody } from '../loopback'
import { serverErrorCodeFor } from './errors'
import { FaultInjector, pickFaultOptions, validateFaultOptions, type FaultOptions, type ResponseFault } from './faults'
import { authenticate, errorReply, type ApiContext, type Reply } from './handlers'
import { RequestLog, type RequestStats } from './request-log'
import { matchRoute } from './routes'
import { EmulatorStore, type ErasureStatus, type StoreSnapshot } from './store'
import { isPlainObject, parseJsonBody } from './validation'

/** Demo key accepted when `apiKeys` is not given (documented; never use a real Extole key with the emulator). */
export const DEMO_API_KEY = 'demo-extole-key'
export const DEFAULT_CLIENT_ID = '1890234567'
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** Emulator-only routes: no authentication, no faults, not counted in `state.requests`. */
export const CONTROL_ROUTES = {
  state: '/__emulator/state',
  reset: '/__emulator/reset',
  faults: '/__emulator/faults'
} as const

export interface EmulatorOptions extends FaultOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** Accepted bearer keys. Default: `[DEMO_API_KEY]`. An empty list rejects every key. */
  apiKeys?: string[]
  /** Event names answered with 400 `event_blocked` (not recorded). */
  blockedEventNames?: string[]
  /** `client_id` reported by `GET /v4/tokens`. */
  clientId?: string
  /** `expires_in` reported by `GET /v4/tokens`. Default: one year. */
  tokenExpiresInSeconds?: number
  /** `status` answered by `POST /v4/erasures` (erasure itself is always applied at once). Default `PENDING`. */
  erasureStatus?: ErasureStatus
  /** Larger request bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number
  /** Receives one line per API request (method, path, status, fault, duration; never headers or keys). */
  log?: (line: string) => void
}

export interface EmulatorState extends StoreSnapshot {
  requests: RequestStats
  /** Fault options currently in force. */
  faults: FaultOptions
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  url: string
  port: number
  /** Closes the server and destroys every open connection (keep-alive ones too); pending latencies end at once. */
  stop(): Promise<void>
  /** A deep copy of the current state. */
  state(): EmulatorState
  /** Clears persons, events, erasures and request stats, and restarts the fault PRNG from its seed. */
  reset(): void
  /** Replaces the fault options (throws TypeError on invalid ones). */
  setFaults(faults: FaultOptions): void
}

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/** Starts an Extole API emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, log } = options
  const faults = new FaultInjector(pickFaultOptions(options))
  const store = new EmulatorStore()
  const requestLog = new RequestLog()
  const ctx: ApiContext = {
    store,
    apiKeys: [...(options.apiKeys ?? [DEMO_API_KEY])],
    blockedEventNames: new Set(options.blockedEventNames ?? []),
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    erasureStatus: options.erasureStatus ?? 'PENDING',
    tokenExpiresInSeconds: options.tokenExpiresInSeconds ?? 365 * 24 * 3600
  }
  const sleeps = new Set<() => void>()

  const state = (): EmulatorState => ({ ...store.snapshot(), requests: requestLog.snapshot(), faults: faults.options })
  const reset = (): void => {
    store.reset()
    requestLog.reset()
    faults.reseed()
  }
  const setFaults = (next: FaultOptions): void => faults.configure(next)

  /** Resolves after `ms`, or at once when the emulator stops. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        sleeps.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      sleeps.add(done)
    })

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const started = Date.now()
    const method = req.method ?? 'GET'
    const match = matchRoute(method, path)
    const route =
      match.kind === 'not_found'
        ? 'unmatched'
        : `${method} ${match.kind === 'matched' ? match.route.template : match.template}`
    const body = await readBody(req, maxBodyBytes)
    if (body === undefined) return // client went away mid-body

    const decision = faults.decide(req.headers)
    const fault = typeof decision === 'string' ? null : decision.fault
    const delayMs = typeof decision === 'string' ? 0 : decision.delayMs
    let reply: Reply | undefined
    if (typeof decision === 'string') reply = errorReply('invalid_emulator_fault', decision)
    else if (fault && fault.kind !== 'drop-after') reply = faultReply(fault)
    else if (body === 'too_large') reply = errorReply('request_too_large')
    else if (match.kind === 'not_found') reply = errorReply('not_found')
    else if (match.kind === 'bad_path') reply = errorReply('binding_error', 'Invalid path parameter')
    else if (match.kind === 'method_not_allowed') {
      reply = { ...errorReply('method_not_allowed'), headers: { allow: match.allowed.join(', ') } }
    } else {
      const auth = authenticate(req.headers, ctx.apiKeys)
      reply =
        typeof auth === 'number'
          ? match.route.handler(ctx, { headers: req.headers, body, params: match.params }, auth)
          : auth
    }

    if (delayMs > 0) await sleep(delayMs)
    const dropped = fault?.kind === 'drop' || fault?.kind === 'drop-after'
    if (fault?.kind === 'drop-after' && reply?.recorded && reply.eventId) store.markUnacknowledged(reply.eventId)
    const status = dropped || !reply ? null : reply.status
    requestLog.record({
      method,
      path,
      route,
      status,
      fault: fault?.kind ?? null,
      delay_ms: delayMs,
      event_id: reply?.eventId ?? null,
      recorded: reply?.recorded ?? false,
      duplicate: reply?.duplicate ?? false
    })
    const faultNote = fault ? ` [fault ${fault.kind}]` : ''
    log?.(`${method} ${path} -> ${status ?? 'dropped'}${faultNote} ${Date.now() - started}ms`)
    if (dropped || !reply) {
      req.socket.destroy()
      return
    }
    send(res, reply)
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET'
    const body = await readBody(req, maxBodyBytes)
    if (body === undefined) return
    const allowed: Record<string, string[]> = {
      [CONTROL_ROUTES.state]: ['GET'],
      [CONTROL_ROUTES.reset]: ['POST'],
      [CONTROL_ROUTES.faults]: ['GET', 'POST']
    }
    if (!allowed[path]) return send(res, errorReply('not_found'))
    if (!allowed[path].includes(method)) {
      return send(res, { ...errorReply('method_not_allowed'), headers: { allow: allowed[path].join(', ') } })
    }
    if (path === CONTROL_ROUTES.state) return send(res, { status: 200, body: state() })
    if (path === CONTROL_ROUTES.reset) {
      reset()
      return send(res, { status: 200, body: { reset: true } })
    }
    if (method === 'GET') return send(res, { status: 200, body: faults.options })
    if (body === 'too_large') return send(res, errorReply('request_too_large'))
    const parsed = parseJsonBody(body)
    if (!parsed.ok) return send(res, errorReply(parsed.error))
    if (!isPlainObject(parsed.value)) return send(res, errorReply('binding_error'))
    try {
      setFaults(validateFaultOptions(parsed.value))
    } catch (error) {
      return send(res, errorReply('binding_error', (error as Error).message))
    }
    send(res, { status: 200, body: faults.options })
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const handle = path.startsWith('/__emulator/') ? handleControl : handleApi
    handle(req, res, path).catch((error: unknown) => {
      log?.(`internal error on ${req.method} ${path}: ${(error as Error).message}`)
      if (!res.headersSent && !res.destroyed) send(res, errorReply('internal_error'))
    })
  })
  const listening = await listen(server, { port })
  const stop = (): Promise<void> => {
    // Answers held back by injected latency are released so that stop() never waits for them.
    for (const wake of [...sleeps]) wake()
    return listening.stop()
  }

  return { url: listening.url, port: listening.port, stop, state, reset, setFaults }
}

function faultReply(fault: ResponseFault): Reply | undefined {
  switch (fault.kind) {
    case '429':
      return errorReply('too_many_requests')
    case '503':
      return errorReply('service_unavailable')
    case '5xx':
      return errorReply(serverErrorCodeFor(fault.status ?? 500))
    case 'html':
      return { status: 502, body: HTML_502, headers: { 'content-type': 'text/html' } }
    default:
      return undefined // drop: no answer at all
  }
}

/**
 * Reads the whole body. Returns `'too_large'` past `limit` bytes (the rest is drained and discarded), or
 * `undefined` if the client aborted.
 */
function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return
  const isText = typeof reply.body === 'string'
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers,
    'content-length': Buffer.byteLength(payload)
  })
  res.end(payload)
}
