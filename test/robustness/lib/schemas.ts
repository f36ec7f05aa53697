import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { ErasureRequestSchema, EventDispatcherRequestSchema, EventSubmissionDataSchema } from '../../../src/emulator'

/**
 * Strict forms of the request bodies the destination sends, built from the emulator's transcription of Extole's
 * spec. The emulator relaxes `EventDispatcherRequest` (only `event_name` required) to accept what Extole accepts;
 * what the DESTINATION sends is held to the spec as written.
 */

/**
 * `EventDispatcherRequest` as the spec declares it: `data`, `event_name` and `event_time` all required, `data` an
 * object (the typed `EventSubmissionData` keys checked, other keys free). Top-level keys other than the three are
 * refused: the spec does not forbid them, but Extole ignores them (the emulator files them under `ignored_fields`),
 * so sending one would silently drop data.
 */
export const StrictEventDispatcherRequestSchema = {
  title: 'EventDispatcherRequest (strict)',
  type: 'object',
  required: ['data', 'event_name', 'event_time'],
  additionalProperties: false,
  properties: {
    event_name: EventDispatcherRequestSchema.properties.event_name,
    event_time: EventDispatcherRequestSchema.properties.event_time,
    data: { type: 'object', additionalProperties: true, properties: EventSubmissionDataSchema.properties }
  }
} as const

/** Body of `POST /v4/erasures` as the destination must send it: a non-empty `partner_user_id` and a `note`. */
export const StrictErasureRequestSchema = {
  title: 'ErasureRequest (strict)',
  type: 'object',
  required: ['partner_user_id', 'note'],
  additionalProperties: false,
  properties: {
    partner_user_id: ErasureRequestSchema.properties.partner_user_id,
    note: ErasureRequestSchema.properties.note
  }
} as const

const ajv = addFormats(new Ajv({ allErrors: true, strict: true }))

const validators = {
  event: ajv.compile(StrictEventDispatcherRequestSchema as object),
  erasure: ajv.compile(StrictErasureRequestSchema as object)
} satisfies Record<string, ValidateFunction>

export type BodyKind = keyof typeof validators

/** Which strict schema a request path must satisfy (undefined: a path the destination must not call with a body). */
export function bodyKindOf(path: string): BodyKind | undefined {
  if (path === '/v6/events' || path === '/v6/async-events') return 'event'
  if (path === '/v4/erasures') return 'erasure'
  return undefined
}

/** Problems with a body, as short readable lines; empty when the body is valid. */
export function strictErrors(kind: BodyKind, body: unknown): string[] {
  const validate = validators[kind]
  return validate(body) ? [] : (validate.errors ?? []).map(describe)
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`
}
