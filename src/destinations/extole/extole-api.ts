import {
  HTTPError,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError,
  type RequestClient
} from '@segment/actions-core'

/** Where the destination sends its requests. Not a user setting: only code (tests, the local harness) can change it. */
export interface ExtoleConfig {
  /** Tokens and erasures (`https://api.extole.io` in the spec's servers). */
  apiBaseUrl: string
  /** Event submission (`https://events.extole.io`, the per-operation server of `/v6/events`). */
  eventsBaseUrl: string
  /** Explicit per-request timeout; actions-core's default is 10 s. */
  timeoutMs: number
  /** How many batch events are in flight at once on the batch path. */
  batchConcurrency: number
}

export const DEFAULT_EXTOLE_CONFIG: Readonly<ExtoleConfig> = Object.freeze({
  apiBaseUrl: 'https://api.extole.io',
  eventsBaseUrl: 'https://events.extole.io',
  timeoutMs: 8000,
  batchConcurrency: 10
})

export function resolveConfig(overrides: Partial<ExtoleConfig> = {}): ExtoleConfig {
  const config = { ...DEFAULT_EXTOLE_CONFIG, ...overrides }
  return { ...config, apiBaseUrl: trimSlash(config.apiBaseUrl), eventsBaseUrl: trimSlash(config.eventsBaseUrl) }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

export type JsonMap = { [key: string]: unknown }

/** `EventDispatcherRequest` from Extole's spec: all three keys are required there. */
export interface ExtoleEvent {
  event_name: string
  event_time: string
  data: JsonMap
}

export interface ErasureRequest {
  partner_user_id: string
  note: string
}

export async function submitEvent(request: RequestClient, config: ExtoleConfig, event: ExtoleEvent) {
  return request<JsonMap>(`${config.eventsBaseUrl}/v6/events`, {
    method: 'POST',
    json: event,
    timeout: config.timeoutMs
  })
}

/** Extole's high-volume endpoint: no per-request rate limit, used by the batch path. */
export async function submitEventAsync(request: RequestClient, config: ExtoleConfig, event: ExtoleEvent) {
  return request<JsonMap>(`${config.eventsBaseUrl}/v6/async-events`, {
    method: 'POST',
    json: event,
    timeout: config.timeoutMs
  })
}

export async function getCurrentToken(request: RequestClient, config: ExtoleConfig) {
  return request(`${config.apiBaseUrl}/v4/tokens`, { method: 'GET', timeout: config.timeoutMs })
}

export async function createErasure(request: RequestClient, config: ExtoleConfig, erasure: ErasureRequest) {
  return request<JsonMap>(`${config.apiBaseUrl}/v4/erasures`, {
    method: 'POST',
    json: erasure,
    timeout: config.timeoutMs
  })
}

/** The parts of Extole's `RestExceptionResponse` that are safe to repeat; everything else is dropped. */
export interface ExtoleErrorBody {
  code?: string
  message?: string
  unique_id?: string
}

export type FailureKind = 'retryable' | 'authentication' | 'rejected'

/**
 * A failure already translated from the transport: the status, Extole's own words and whether Segment should
 * retry. It never holds the request, its headers or anything the caller did not choose to copy in.
 */
export interface ExtoleFailure {
  kind: FailureKind
  status: number
  code: string
  message: string
  body?: ExtoleErrorBody
}

const RETRYABLE_STATUSES = new Set([408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])

/** Turns whatever a request threw into an `ExtoleFailure`, or returns undefined when it is not a transport error. */
export function describeFailure(error: unknown, secret?: string): ExtoleFailure | undefined {
  if (error instanceof HTTPError) {
    return describeHttpFailure(error, secret)
  }
  const name = (error as { name?: unknown } | null)?.name
  const code = (error as { code?: unknown } | null)?.code
  if (name === 'TimeoutError' || name === 'RequestTimeoutError' || code === 'ETIMEDOUT') {
    return { kind: 'retryable', status: 504, code: 'ETIMEDOUT', message: 'Extole did not answer in time' }
  }
  if (name === 'FetchError' || name === 'RequestClientError' || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) {
    const networkCode = typeof code === 'string' ? code : 'ECONNRESET'
    return {
      kind: 'retryable',
      status: 503,
      code: networkCode,
      message: `Extole could not be reached (${networkCode})`
    }
  }
  return undefined
}

function describeHttpFailure(error: HTTPError, secret?: string): ExtoleFailure {
  const status = error.response.status
  const body = readErrorBody(error.response as unknown as { data?: unknown; content?: string }, secret)
  const code = body?.code ?? `http_${status}`
  const extoleWords = body
    ? `${body.message ?? 'no message'} (code ${code}${body.unique_id ? `, unique_id ${body.unique_id}` : ''})`
    : `a non-JSON body (HTTP ${status})`
  const base = { status, code, body }

  if (status === 429 || (status >= 500 && status !== 501)) {
    return {
      ...base,
      kind: 'retryable',
      message: `Extole could not take the request now, HTTP ${status}: ${extoleWords}`
    }
  }
  if (status === 401 || (status === 403 && code === 'missing_access_token')) {
    return { ...base, kind: 'authentication', message: `Extole rejected the API key, HTTP ${status}: ${extoleWords}` }
  }
  if (status === 400 && code === 'event_blocked') {
    return {
      ...base,
      kind: 'rejected',
      message: `Extole's program rules blocked this event, HTTP 400: ${extoleWords}`
    }
  }
  return { ...base, kind: 'rejected', message: `Extole refused the request, HTTP ${status}: ${extoleWords}` }
}

function readErrorBody(response: { data?: unknown; content?: string }, secret?: string): ExtoleErrorBody | undefined {
  let parsed = response.data
  if (typeof parsed !== 'object' || parsed === null) {
    try {
      parsed = JSON.parse(response.content ?? '')
    } catch {
      return undefined
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined
  }
  const record = parsed as Record<string, unknown>
  const pick = (key: string) => (typeof record[key] === 'string' ? redact(record[key] as string, secret) : undefined)
  const body = { code: pick('code'), message: pick('message'), unique_id: pick('unique_id') }
  return body.code || body.message ? body : undefined
}

/** Defence in depth: nothing we repeat from a response may carry the caller's key. */
export function redact(text: string, secret?: string): string {
  return secret && secret.length >= 4 ? text.split(secret).join('<redacted>') : text
}

/** A fresh actions-core error built from the failure alone, so the original (holding the request headers) is dropped. */
export function toActionsError(failure: ExtoleFailure): Error {
  switch (failure.kind) {
    case 'retryable': {
      const status = RETRYABLE_STATUSES.has(failure.status) ? failure.status : 503
      return new RetryableError(failure.message, status as ConstructorParameters<typeof RetryableError>[1])
    }
    case 'authentication':
      return new InvalidAuthenticationError(failure.message)
    case 'rejected': {
      const error = new IntegrationError(failure.message, failure.code, failure.status)
      error.retry = false
      return error
    }
  }
}

/**
 * actions-core prefixes whatever `testAuthentication` throws with "Credentials are invalid", so the message must say
 * plainly when Extole was unreachable, which says nothing about the key.
 */
export function authenticationFailureMessage(error: unknown, secret?: string): string {
  const failure = describeFailure(error, secret)
  switch (failure?.kind) {
    case undefined:
      return 'Unexpected error while checking the API key with Extole; the key was not judged.'
    case 'retryable':
      return `Extole could not be reached to check the API key, so the key was not judged; try again. ${failure.message}`
    case 'authentication':
      return failure.message
    case 'rejected':
      return `Extole refused this API key for the destination. ${failure.message}`
  }
}

/** Runs one Extole call and rethrows any transport failure as a fresh, typed, key-free error. */
export async function callExtole<T>(secret: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const failure = describeFailure(error, secret)
    if (failure) {
      throw toActionsError(failure)
    }
    if (error instanceof PayloadValidationError || error instanceof IntegrationError) {
      throw error
    }
    // Unknown throwables may still reference the request; keep only a key-free message.
    throw new IntegrationError(
      redact(`Unexpected error while calling Extole: ${(error as Error)?.message ?? String(error)}`, secret),
      'UNEXPECTED_ERROR',
      500
    )
  }
}
