import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { listen } from '../../../src/loopback'
import {
  createTestIntegration,
  defaultValues,
  type JSONObject,
  type Logger,
  type SegmentEvent
} from '@segment/actions-core'
import { createExtoleDestination } from '../../../src/destinations/extole'
import { REDACTED, startHarness, type Harness } from '../../../src/harness'
import { SECRET_KEY } from './constants'
import { captureOutput, findSecret } from './leaks'

/**
 * Every error path of the destination, run with a recognisable key against a deliberately leaky "Extole" that
 * echoes the caller's Authorization header back in its error bodies, its headers and its HTML pages. The key must
 * appear in no thrown error (message, stack, JSON, util.inspect, any property), no multistatus entry, no action
 * result and no log line.
 */

/** What the leaky Extole does with the next requests. */
export type LeakyMode =
  /** Extole's error body with `code`; the message, unique_id and parameters echo the Authorization header. */
  | { kind: 'status'; status: number; code: string }
  /** The same, with the key itself as the error `code`. */
  | { kind: 'code-echo'; status: number }
  /** An HTML error page (a proxy's) echoing the Authorization header. */
  | { kind: 'html'; status: number }
  /** Never answers: the destination's timeout fires. */
  | { kind: 'timeout' }
  /** Destroys the connection once the request is read. */
  | { kind: 'reset' }
  /** 200 with Extole's success bodies; `GET /v4/tokens` returns the key as `access_token`, as Extole does. */
  | { kind: 'ok' }

export interface LeakyExtole {
  url: string
  mode: LeakyMode
  /** Authorization headers received since the last `take()`. */
  take(): string[]
  stop(): Promise<void>
}

export async function startLeakyExtole(): Promise<LeakyExtole> {
  let authorizations: string[] = []
  const state: { mode: LeakyMode } = { mode: { kind: 'ok' } }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '')
      authorizations.push(auth)
      const key = auth.replace(/^Bearer\s+/i, '')
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
      const mode = state.mode
      const echoHeaders = {
        'www-authenticate': `Bearer realm="extole", error="invalid_token", token="${key}"`,
        'x-echo-authorization': auth
      }
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body)
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...headers
        })
        res.end(text)
      }
      switch (mode.kind) {
        case 'timeout':
          return // the socket stays open until the client gives up
        case 'reset':
          req.socket.destroy()
          return
        case 'html': {
          const page = `<html><body><h1>${mode.status}</h1><p>Request with ${auth} refused</p></body></html>`
          res.writeHead(mode.status, { 'content-type': 'text/html', ...echoHeaders })
          res.end(page)
          return
        }
        case 'status':
        case 'code-echo':
          return json(
            mode.status,
            {
              code: mode.kind === 'code-echo' ? key : mode.code,
              http_status_code: mode.status,
              message: `The access token in "${auth}" may not do this (${key})`,
              parameters: { authorization: auth, token: key },
              unique_id: `uid-${key}`
            },
            echoHeaders
          )
        case 'ok':
          if (path === '/v4/tokens') {
            return json(200, {
              access_token: key,
              client_id: '1890234567',
              expires_in: 3600,
              scopes: ['BACKEND'],
              type: 'MANAGED'
            })
          }
          if (path === '/v4/erasures')
            return json(200, { status: 'PENDING', note: null, created_date: new Date().toISOString() })
          return json(200, path === '/v6/events' ? { event_id: 'e1', person_id: 'p1' } : { event_id: 'e1' })
      }
    })
  })
  const { url, stop } = await listen(server)
  return {
    url,
    get mode() {
      return state.mode
    },
    set mode(mode: LeakyMode) {
      state.mode = mode
    },
    take() {
      const out = authorizations
      authorizations = []
      return out
    },
    stop
  }
}

export const SECRET_PATHS = [
  'identify',
  'track',
  'track batch',
  'identify batch',
  'onDelete',
  'testAuthentication'
] as const
export type SecretPath = (typeof SECRET_PATHS)[number]

/** Extole's error codes by status (the spec's where it has one). */
export const EXTOLE_STATUS_CODES: ReadonlyArray<[number, string]> = [
  [400, 'invalid_event_time_format'],
  [401, 'method_unauthorized'],
  [402, 'payment_required'],
  [403, 'access_denied'],
  [404, 'not_found'],
  [415, 'unsupported_media_type'],
  [429, 'too_many_requests'],
  [500, 'internal_error'],
  [501, 'not_implemented'],
  [502, 'bad_gateway'],
  [503, 'service_unavailable']
]

export const LEAKY_MODES: ReadonlyArray<[string, LeakyMode]> = [
  ...EXTOLE_STATUS_CODES.map(([status, code]): [string, LeakyMode] => [
    `HTTP ${status} ${code}`,
    { kind: 'status', status, code }
  ]),
  ['HTTP 403 missing_access_token', { kind: 'status', status: 403, code: 'missing_access_token' }],
  ['HTTP 400 with the key as the error code', { kind: 'code-echo', status: 400 }],
  ['HTML 502 page', { kind: 'html', status: 502 }],
  ['HTML 401 page', { kind: 'html', status: 401 }],
  ['timeout', { kind: 'timeout' }],
  ['connection reset', { kind: 'reset' }],
  ['200 (tokens echo the key)', { kind: 'ok' }]
]

export interface SecretScenario {
  name: string
  path: SecretPath
  /** What Extole does; absent for our own validation errors (nothing is sent). */
  mode?: LeakyMode
}

export const SECRET_SCENARIOS: readonly SecretScenario[] = [
  ...SECRET_PATHS.flatMap((path) =>
    LEAKY_MODES.map(([label, mode]): SecretScenario => ({ name: `${path}: ${label}`, path, mode }))
  ),
  ...(['identify', 'track', 'track batch', 'identify batch', 'onDelete'] as const).map((path): SecretScenario => ({
    name: `${path}: refused by validation`,
    path
  }))
]

const identify = (n: number, valid: boolean): SegmentEvent =>
  ({
    type: 'identify',
    userId: valid ? `user-${n}` : null,
    traits: valid ? { email: `p${n}@example.com` } : { email: 'not-an-email' },
    timestamp: '2024-01-15T12:00:00.000Z'
  }) as SegmentEvent
const track = (n: number, valid: boolean): SegmentEvent =>
  ({
    type: 'track',
    event: valid ? 'conversion' : null,
    userId: `user-${n}`,
    timestamp: '2024-01-15T12:00:00.000Z',
    properties: { partner_conversion_id: `order-${n}` }
  }) as SegmentEvent

export const HARNESS_ROUTES_UNDER_TEST = ['identify', 'track batch', 'delete', 'authenticate'] as const
export type HarnessRoute = (typeof HARNESS_ROUTES_UNDER_TEST)[number]

export interface HarnessScenario {
  name: string
  route: HarnessRoute
  /** What Extole does; absent for a call refused by validation before any request. */
  mode?: LeakyMode
}

export const HARNESS_SCENARIOS: readonly HarnessScenario[] = [
  ...HARNESS_ROUTES_UNDER_TEST.flatMap((route) =>
    LEAKY_MODES.map(([label, mode]): HarnessScenario => ({ name: `harness ${route}: ${label}`, route, mode }))
  ),
  ...(['identify', 'track batch', 'delete'] as const).map((route): HarnessScenario => ({
    name: `harness ${route}: refused by validation`,
    route
  }))
]

export interface SecretRun {
  scenario: string
  /** What happened, e.g. `RetryableError 503: …`, `multistatus 503/503`, `ok`. */
  outcome: string
  /** Where the key was found: must be empty. */
  leaks: string[]
  /** The key did travel to Extole as the bearer token (so the run exercised a real request). */
  sentKey: boolean
}

/** Runs the secret scenarios against one leaky Extole. */
export class SecretsRunner {
  private readonly destination
  private readonly mappings: Record<'identify' | 'track', JSONObject>

  private constructor(
    private readonly extole: LeakyExtole,
    private readonly harness: Harness
  ) {
    const definition = createExtoleDestination({ apiBaseUrl: extole.url, eventsBaseUrl: extole.url, timeoutMs: 200 })
    this.destination = createTestIntegration(definition)
    this.mappings = {
      identify: defaultValues(definition.actions.identify.fields) as JSONObject,
      track: defaultValues(definition.actions.track.fields) as JSONObject
    }
  }

  static async start(): Promise<SecretsRunner> {
    const extole = await startLeakyExtole()
    const harness = await startHarness({
      target: { apiBaseUrl: extole.url, eventsBaseUrl: extole.url },
      timeoutMs: 200
    })
    return new SecretsRunner(extole, harness)
  }

  async stop(): Promise<void> {
    await this.harness.stop()
    await this.extole.stop()
  }

  /**
   * One call to the local harness (the HTTP answer is what a developer sees): the key in no byte of the answer, its
   * headers included, and every recorded request's credential headers shown as `<redacted>`.
   */
  async runHarness(scenario: HarnessScenario): Promise<SecretRun> {
    const valid = scenario.mode !== undefined
    this.extole.mode = scenario.mode ?? { kind: 'ok' }
    this.extole.take()
    const settings = { apiKey: SECRET_KEY }
    const body =
      scenario.route === 'authenticate'
        ? { settings }
        : scenario.route === 'delete'
          ? { payload: { userId: valid ? 'user-1' : ' ', anonymousId: 'anon-1' }, settings }
          : scenario.route === 'identify'
            ? { payload: identify(1, valid), settings }
            : { payload: [track(1, valid), track(2, valid), track(3, false)], settings }
    const path = scenario.route === 'track batch' ? '/track' : `/${scenario.route}`
    const output = captureOutput()
    let answer: { status: number; headers: string[]; text: string }
    try {
      answer = await postJson(`${this.harness.url}${path}`, body)
    } finally {
      output.restore()
    }
    const leaks: string[] = []
    if (answer.text.includes(SECRET_KEY)) leaks.push('harness answer body')
    if (answer.headers.some((value) => value.includes(SECRET_KEY))) leaks.push('harness answer headers')
    for (const line of output.lines) if (line.includes(SECRET_KEY)) leaks.push('log line')
    const sent = this.extole.take()
    let parsed: {
      ok?: boolean
      exchanges?: Array<{ request?: { headers?: Record<string, string> } }>
      error?: { name?: string; message?: string }
    }
    try {
      parsed = JSON.parse(answer.text)
    } catch {
      parsed = {}
      leaks.push('harness answer is not JSON')
    }
    const exchanges = parsed.exchanges ?? []
    // Credential headers recorded, but only as `<redacted>`.
    if (sent.length > 0) {
      const authorizations = exchanges.map((exchange) => exchange.request?.headers?.authorization)
      if (exchanges.length !== sent.length)
        leaks.push(`${exchanges.length} exchanges recorded for ${sent.length} requests`)
      if (!authorizations.every((value) => value === REDACTED)) {
        leaks.push(`authorization header shown as ${JSON.stringify(authorizations.map((v) => v?.slice(0, 10)))}`)
      }
    }
    const outcome = parsed.ok
      ? 'ok'
      : `${parsed.error?.name ?? 'not ok'}: ${String(parsed.error?.message ?? '').slice(0, 100)}`
    return {
      scenario: scenario.name,
      outcome: `HTTP ${answer.status} ${outcome}`,
      leaks,
      sentKey: sent.length > 0 && sent.every((auth) => auth === `Bearer ${SECRET_KEY}`)
    }
  }

  async run(scenario: SecretScenario): Promise<SecretRun> {
    const valid = scenario.mode !== undefined
    this.extole.mode = scenario.mode ?? { kind: 'ok' }
    this.extole.take()
    const loggerLines: string[] = []
    const record = (...message: unknown[]) => void loggerLines.push(message.map(String).join(' '))
    const logger = {
      level: 'debug',
      name: 'robustness',
      debug: record,
      info: record,
      warn: record,
      error: record,
      crit: record,
      log: record,
      withTags: () => undefined
    } as unknown as Logger
    const settings = { apiKey: SECRET_KEY }
    const output = captureOutput()
    let error: unknown
    let failed = false
    let result: unknown
    try {
      result = await this.call(scenario.path, valid, settings, logger)
    } catch (thrown) {
      failed = true
      error = thrown
    } finally {
      output.restore()
    }
    const multistatus = this.destination.results[0]?.multistatus
    const leaks: string[] = []
    const check = (label: string, value: unknown) => {
      const where = findSecret(value)
      if (where) leaks.push(`${label} (${where})`)
    }
    if (failed) check('thrown error', error)
    check('action result', result)
    if (scenario.path.endsWith('batch')) check('multistatus', multistatus)
    for (const line of [...output.lines, ...loggerLines]) check('log line', line)
    const sent = this.extole.take()
    return {
      scenario: scenario.name,
      outcome: describeOutcome(failed, error, multistatus),
      leaks,
      sentKey: sent.length > 0 && sent.every((auth) => auth === `Bearer ${SECRET_KEY}`)
    }
  }

  private async call(path: SecretPath, valid: boolean, settings: { apiKey: string }, logger: Logger): Promise<unknown> {
    const destination = this.destination
    destination.results = []
    // What testAction / testBatchAction return is the test kit's own log of raw responses, which carry the request
    // (headers included) by design; what an action hands back to Segment is `destination.results`.
    switch (path) {
      case 'identify':
        await destination.testAction('identify', {
          event: identify(1, valid),
          mapping: this.mappings.identify,
          settings,
          logger
        })
        return destination.results
      case 'track':
        await destination.testAction('track', {
          event: track(1, valid),
          mapping: this.mappings.track,
          settings,
          logger
        })
        return destination.results
      case 'track batch':
      case 'identify batch': {
        const key = path === 'track batch' ? 'track' : 'identify'
        const make = key === 'track' ? track : identify
        const events = [make(1, valid), make(2, valid), make(3, false)]
        const mapping = { ...this.mappings[key], enable_batching: true }
        await destination.testBatchAction(key, { events, mapping, settings, logger })
        return destination.results
      }
      case 'onDelete':
        return destination.onDelete?.(
          { userId: valid ? 'user-1' : '  ', anonymousId: 'anon-1' } as SegmentEvent,
          settings
        )
      case 'testAuthentication':
        return destination.testAuthentication(settings)
    }
  }
}

function describeOutcome(failed: boolean, error: unknown, multistatus: unknown): string {
  if (failed) {
    const e = error as { name?: string; status?: number; message?: string }
    return `${e?.name} ${e?.status ?? ''}: ${String(e?.message).slice(0, 120)}`.replace(/\s+:/, ':')
  }
  if (Array.isArray(multistatus)) {
    return `multistatus ${multistatus.map((entry: { status?: number; errortype?: string }) => `${entry.status}${entry.errortype ? ` ${entry.errortype}` : ''}`).join(', ')}`
  }
  return 'ok'
}

function postJson(url: string, body: unknown): Promise<{ status: number; headers: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body)
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.rawHeaders,
            text: Buffer.concat(chunks).toString('utf8')
          })
        )
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(text)
  })
}
