import { PayloadValidationError } from '@segment/actions-core'
import type { ExtoleEvent, JsonMap } from './extole-api'

export interface Identity {
  partner_user_id?: string
  email?: string
  first_name?: string
  last_name?: string
}

/** The identity fields both actions map, in the order they appear in `data`. */
export const IDENTITY_KEYS: readonly (keyof Identity)[] = ['partner_user_id', 'email', 'first_name', 'last_name']

// The same pattern ajv-formats uses for `format: email`, which is how Extole's spec types `data.email`:
// anything we let through must satisfy the schema Extole validates against.
const EMAIL_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** Keys Extole types in `EventSubmissionData`; free-form traits and properties may not set them unchecked. */
const TYPED_DATA_KEYS = ['email', 'partner_user_id', 'person_id', 'event_time']

export function checkIdentity(identity: Identity): Identity {
  const email = identity.email?.trim() || undefined
  const partnerUserId = identity.partner_user_id?.trim() || undefined
  if (!email && !partnerUserId) {
    throw new PayloadValidationError(
      'Extole needs a way to identify the person: set `email` or `partner_user_id` (Segment userId).'
    )
  }
  if (email !== undefined && !EMAIL_PATTERN.test(email)) {
    throw new PayloadValidationError(
      '`email` is not a valid email address, so Extole would not accept it as the identity key.'
    )
  }
  return { partner_user_id: partnerUserId, email, first_name: identity.first_name, last_name: identity.last_name }
}

// ISO 8601 date or date-time. V8's `new Date(string)` also takes "12" or "March 7" and reads an offset-less time in the
// host's zone, so a string must match this before it is parsed.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

function parseIsoDate(value: string): Date | undefined {
  const match = ISO_8601.exec(value.trim())
  if (!match) return undefined
  const [, year, month, day, hour = '0', minute = '0', second = '0', offset] = match
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  const realDay = calendar.getUTCMonth() === Number(month) - 1 && calendar.getUTCDate() === Number(day)
  if (!realDay || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined
  // A date-time without an offset is read as UTC, the same on every host, as the field's description says.
  const hasTime = match[4] !== undefined
  return new Date(hasTime && !offset ? `${value.trim()}Z` : value.trim())
}

/**
 * ISO 8601 in UTC, as Extole's `event_time` expects. A number is epoch milliseconds; an absent time means "now", as
 * Extole itself assumes.
 */
export function toEventTime(value: string | number | undefined, now: () => Date = () => new Date()): string {
  if (value === undefined) {
    return now().toISOString()
  }
  const time = typeof value === 'number' ? new Date(value) : parseIsoDate(value)
  const year = time?.getUTCFullYear() ?? NaN
  if (!time || Number.isNaN(time.getTime()) || year < 0 || year > 9999) {
    throw new PayloadValidationError('`event_time` is not a valid ISO 8601 date-time.')
  }
  return time.toISOString()
}

/**
 * A builder of Extole's open `data` map: the free-form values first (traits or properties, under their own names and
 * JSON types), then the mapped fields, which win. A free-form key is dropped when a mapped field owns it, when the
 * action lists it in `omitFromFreeForm`, or when Extole types it. The omitted keys are fixed per action, so the set
 * is built once, not per event. `Object.fromEntries` defines keys such as `__proto__` as plain data, so a hostile key
 * can never reach a prototype.
 */
export function dataBuilder(mappedKeys: readonly string[], omitFromFreeForm: readonly string[] = []) {
  const omitted = new Set([...omitFromFreeForm, ...mappedKeys, ...TYPED_DATA_KEYS])
  return (freeForm: JsonMap | undefined, mapped: JsonMap): JsonMap => {
    const entries: [string, unknown][] = []
    for (const [key, value] of Object.entries(freeForm ?? {})) {
      if (!omitted.has(key) && value !== undefined) entries.push([key, value])
    }
    const personId = freeForm?.person_id
    if (personId !== undefined && personId !== null) {
      if (!Number.isSafeInteger(personId)) {
        throw new PayloadValidationError('`person_id` must be an Extole person id (an integer).')
      }
      entries.push(['person_id', personId])
    }
    for (const key of mappedKeys) {
      const value = mapped[key]
      if (value !== undefined && value !== null) entries.push([key, value])
    }
    return Object.fromEntries(entries)
  }
}

export function buildEvent(eventName: string, eventTime: string | number | undefined, data: JsonMap): ExtoleEvent {
  const name = eventName.trim()
  if (!name) {
    throw new PayloadValidationError('`event_name` is empty: Extole needs an event name.')
  }
  return { event_name: name, event_time: toEventTime(eventTime), data }
}
