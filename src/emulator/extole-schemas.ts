/**
 * JSON schemas (draft-07, for ajv + ajv-formats) for the part of Extole's API the destination uses.
 *
 * Transcribed from `components.schemas` of Extole's integration-server-to-extole OpenAPI document so that nothing
 * reads that file at run time. Each schema is self-contained (no `$ref`, no `$id`), so it can be passed to
 * `ajv.compile` directly, copied or extended. Formats used: `email`, `date-time`, `int32`, `int64` (all provided by ajv-formats).
 *
 * Deliberate deviations from the document are commented where they occur.
 */

/** `EventSubmissionData`: the open data map of an event. Nullable in the spec. */
export const EventSubmissionDataSchema = {
  title: 'EventSubmissionData',
  type: ['object', 'null'],
  additionalProperties: true,
  properties: {
    email: { type: 'string', format: 'email' },
    event_time: { type: 'string', format: 'date-time' },
    partner_user_id: { type: 'string' },
    person_id: { type: 'integer', format: 'int64' }
  }
} as const

/**
 * `EventDispatcherRequest`: body of `POST /v6/events` and `POST /v6/async-events`.
 *
 * The spec lists `data`, `event_name` and `event_time` as required, but its own field descriptions say
 * `event_time` is optional ("defaults to the time the request is received"), so only `event_name` is required
 * here. `event_time` has no format in the spec; `date-time` is added because Extole rejects non-ISO-8601 values
 * with `invalid_event_time_format`.
 */
export const EventDispatcherRequestSchema = {
  title: 'EventDispatcherRequest',
  type: 'object',
  required: ['event_name'],
  properties: {
    event_name: { type: 'string', minLength: 1 },
    event_time: { type: 'string', format: 'date-time' },
    data: {
      type: ['object', 'null'],
      additionalProperties: true,
      properties: EventSubmissionDataSchema.properties
    }
  }
} as const

/** `EventDispatcherResponse`: 200 body of the synchronous event routes. */
export const EventDispatcherResponseSchema = {
  title: 'EventDispatcherResponse',
  type: 'object',
  required: ['event_id', 'person_id'],
  properties: {
    event_id: { type: 'string' },
    person_id: { type: 'string' }
  }
} as const

/** `EventDispatcherAsyncResponse`: 200 body of the asynchronous event routes. */
export const EventDispatcherAsyncResponseSchema = {
  title: 'EventDispatcherAsyncResponse',
  type: 'object',
  required: ['event_id'],
  properties: {
    event_id: { type: 'string' }
  }
} as const

/** `RestExceptionResponse`: every Extole error body. */
export const RestExceptionResponseSchema = {
  title: 'RestExceptionResponse',
  type: 'object',
  required: ['code', 'http_status_code', 'message', 'parameters', 'unique_id'],
  properties: {
    code: { type: 'string' },
    http_status_code: { type: 'integer', format: 'int32' },
    message: { type: 'string' },
    parameters: { type: 'object', additionalProperties: { type: 'object' } },
    unique_id: { type: 'string' }
  }
} as const

export const ACCESS_TOKEN_SCOPES = [
  'BACKEND',
  'CLIENT_ADMIN',
  'CLIENT_REPORT_DOWNLOAD',
  'CLIENT_SUPERUSER',
  'ONE_TIME',
  'PASSWORD_RESET',
  'UPDATE_PROFILE',
  'USER_SUPPORT',
  'VERIFIED_CONSUMER'
] as const

/** `AccessTokenResponse`: body of `GET /v4/tokens`. The spec marks no field as required. */
export const AccessTokenResponseSchema = {
  title: 'AccessTokenResponse',
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    client_id: { type: 'string' },
    expires_in: { type: 'integer', format: 'int64' },
    identity_id: { type: 'string' },
    person_id: { type: 'string', deprecated: true },
    scopes: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ACCESS_TOKEN_SCOPES } },
    type: { type: 'string', enum: ['MANAGED', 'RESOURCE', 'USER'] }
  }
} as const

const erasureEmail = { type: 'string', format: 'email' } as const
const erasurePartnerUserId = { type: 'string', minLength: 1 } as const

/**
 * Body of `POST /v4/erasures`. Not in the spec: modelled for the emulator. One identity is required (the
 * `anyOf` branches repeat their property so the schema also compiles under ajv's `strictRequired`).
 */
export const ErasureRequestSchema = {
  title: 'ErasureRequest',
  type: 'object',
  properties: {
    email: erasureEmail,
    partner_user_id: erasurePartnerUserId,
    note: { type: 'string' }
  },
  anyOf: [
    { required: ['email'], properties: { email: erasureEmail } },
    { required: ['partner_user_id'], properties: { partner_user_id: erasurePartnerUserId } }
  ]
} as const

export const ERASURE_STATUSES = ['PENDING', 'COMPLETED'] as const

/** 200 body of `POST /v4/erasures`. Not in the spec: modelled for the emulator. */
export const ErasureResponseSchema = {
  title: 'ErasureResponse',
  type: 'object',
  required: ['status', 'note', 'created_date'],
  properties: {
    status: { type: 'string', enum: ERASURE_STATUSES },
    note: { type: ['string', 'null'] },
    created_date: { type: 'string', format: 'date-time' }
  }
} as const

/** All schemas by name. */
export const extoleSchemas = {
  EventSubmissionData: EventSubmissionDataSchema,
  EventDispatcherRequest: EventDispatcherRequestSchema,
  EventDispatcherResponse: EventDispatcherResponseSchema,
  EventDispatcherAsyncResponse: EventDispatcherAsyncResponseSchema,
  RestExceptionResponse: RestExceptionResponseSchema,
  AccessTokenResponse: AccessTokenResponseSchema,
  ErasureRequest: ErasureRequestSchema,
  ErasureResponse: ErasureResponseSchema
} as const

export type ExtoleSchemaName = keyof typeof extoleSchemas
