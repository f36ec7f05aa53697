import type { IncomingHttpHeaders } from 'node:http'
import { extoleError, type ExtoleErrorCode } from './errors'
import type { EmulatorStore, ErasureStatus } from './store'
import { asIdentifier, isIsoDateTime, isJsonContentType, isPlainObject, parseJsonBody } from './validation'

/** What a handler wants to answer; `eventId`/`recorded`/`duplicate` feed the request log. */
export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
  eventId?: string
  recorded?: boolean
  duplicate?: boolean
}

export interface ApiContext {
  store: EmulatorStore
  apiKeys: readonly string[]
  blockedEventNames: ReadonlySet<string>
  clientId: string
  erasureStatus: ErasureStatus
  tokenExpiresInSeconds: number
}

export interface ApiRequest {
  headers: IncomingHttpHeaders
  body: Buffer
  /** Decoded path parameters, e.g. `event_name`. */
  params: Record<string, string>
}

export type Handler = (ctx: ApiContext, req: ApiRequest, keyIndex: number) => Reply

export function errorReply(code: ExtoleErrorCode, message?: string): Reply {
  const body = extoleError(code, message)
  return { status: body.http_status_code, body }
}

/**
 * Returns the index of the caller's key in `apiKeys`, or the error to answer. The key itself never appears in
 * an error body.
 */
export function authenticate(headers: IncomingHttpHeaders, apiKeys: readonly string[]): number | Reply {
  const header = headers.authorization
  if (header === undefined || header.trim() === '') return errorReply('missing_access_token')
  const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim())
  if (!match) return errorReply('method_unauthorized')
  const token = (match[1] ?? '').trim()
  if (token === '') return errorReply('missing_access_token')
  const index = apiKeys.indexOf(token)
  return index === -1 ? errorReply('method_unauthorized') : index
}

export const getToken: Handler = (ctx, _req, keyIndex) => ({
  status: 200,
  body: {
    access_token: ctx.apiKeys[keyIndex],
    client_id: ctx.clientId,
    identity_id: (1_000_000_000_000_000_000n + BigInt(keyIndex + 1)).toString(),
    expires_in: ctx.tokenExpiresInSeconds,
    scopes: ['BACKEND'],
    type: 'MANAGED'
  }
})

const WRAPPED_EVENT_KEYS = new Set(['event_name', 'event_time', 'data'])

/** `POST /v6/events`, `/v6/async-events` (wrapped body) and their `/{event_name}` variants (body = data map). */
export function submitEvent(options: { async: boolean; named: boolean }): Handler {
  return (ctx, req) => {
    const parsed = readJson(req)
    if ('status' in parsed) return parsed
    const body = parsed.value

    let eventName: unknown
    let topLevelTime: unknown
    let data: unknown
    let ignoredFields: string[] = []
    if (options.named) {
      eventName = req.params.event_name
      data = body
    } else {
      if (body === null) return errorReply('missing_request_body')
      if (!isPlainObject(body)) return errorReply('binding_error')
      eventName = body.event_name
      topLevelTime = body.event_time
      data = body.data
      ignoredFields = Object.keys(body).filter((key) => !WRAPPED_EVENT_KEYS.has(key))
    }

    if (typeof eventName !== 'string' || eventName.trim() === '') return errorReply('missing_event_name')
    if (data !== undefined && data !== null && !isPlainObject(data)) return errorReply('binding_error')
    const dataMap = (data ?? null) as Record<string, unknown> | null
    for (const time of [topLevelTime, dataMap?.event_time]) {
      if (time !== undefined && time !== null && !isIsoDateTime(time)) return errorReply('invalid_event_time_format')
    }
    const fieldError = dataMap ? checkDataFields(dataMap) : undefined
    if (fieldError) return errorReply('binding_error', fieldError)
    if (ctx.blockedEventNames.has(eventName)) return errorReply('event_blocked')

    const { event, duplicate } = ctx.store.recordEvent({
      event_name: eventName,
      event_time: typeof topLevelTime === 'string' ? topLevelTime : undefined,
      data: dataMap,
      async: options.async,
      ignored_fields: ignoredFields
    })
    const responseBody = options.async
      ? { event_id: event.event_id }
      : { event_id: event.event_id, person_id: event.person_id }
    return { status: 200, body: responseBody, eventId: event.event_id, recorded: !duplicate, duplicate }
  }
}

/** `POST /v4/erasures` (not in the spec): `{ email?, partner_user_id?, note? }`. */
export const submitErasure: Handler = (ctx, req) => {
  const parsed = readJson(req)
  if ('status' in parsed) return parsed
  const body = parsed.value
  if (body === null) return errorReply('missing_request_body')
  if (!isPlainObject(body)) return errorReply('binding_error')
  const email = body.email ?? undefined
  const partnerUserId = body.partner_user_id === null ? undefined : asIdentifier(body.partner_user_id)
  const note = body.note ?? undefined
  if (email !== undefined && typeof email !== 'string') return errorReply('binding_error', 'email must be a string')
  if (body.partner_user_id != null && partnerUserId === undefined) {
    return errorReply('binding_error', 'partner_user_id must be a string')
  }
  if (note !== undefined && typeof note !== 'string') return errorReply('binding_error', 'note must be a string')
  const identity = {
    email: email?.trim() ? email.trim() : undefined,
    partner_user_id: partnerUserId?.trim() ? partnerUserId.trim() : undefined
  }
  if (identity.email === undefined && identity.partner_user_id === undefined) return errorReply('empty_request')

  const record = ctx.store.erase({ ...identity, note }, ctx.erasureStatus)
  return { status: 200, body: { status: record.status, note: record.note, created_date: record.created_date } }
}

function readJson(req: ApiRequest): { value: unknown } | Reply {
  if (!isJsonContentType(req.headers['content-type'])) return errorReply('unsupported_media_type')
  const parsed = parseJsonBody(req.body)
  return parsed.ok ? { value: parsed.value } : errorReply(parsed.error)
}

/** Type checks of the data-map fields Extole binds; returns an error message or undefined. */
function checkDataFields(data: Record<string, unknown>): string | undefined {
  const { email, partner_user_id, person_id, first_name, last_name } = data
  if (email != null && typeof email !== 'string') return 'email must be a string'
  if (partner_user_id != null && asIdentifier(partner_user_id) === undefined) return 'partner_user_id must be a string'
  const validPersonId =
    (typeof person_id === 'number' && Number.isInteger(person_id)) ||
    (typeof person_id === 'string' && /^\d+$/.test(person_id))
  if (person_id != null && !validPersonId) return 'person_id must be an integer'
  if (first_name != null && typeof first_name !== 'string') return 'first_name must be a string'
  if (last_name != null && typeof last_name !== 'string') return 'last_name must be a string'
  return undefined
}
