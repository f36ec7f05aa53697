import { asIdentifier } from './validation'

/** Data keys stored on the person as identity/profile fields; every other key becomes a PUBLIC parameter. */
export const RESERVED_DATA_KEYS: readonly string[] = [
  'email',
  'partner_user_id',
  'person_id',
  'event_time',
  'first_name',
  'last_name'
]

export interface PersonParameter {
  value: unknown
  visibility: 'PUBLIC'
}

export interface PersonRecord {
  person_id: string
  email: string | null
  partner_user_id: string | null
  first_name: string | null
  last_name: string | null
  parameters: Record<string, PersonParameter>
  created_at: string
  updated_at: string
}

export interface EventRecord {
  event_id: string
  person_id: string
  event_name: string
  /** As submitted (top-level `event_time`, else `data.event_time`), else the receive time. */
  event_time: string
  data: Record<string, unknown> | null
  received_at: string
  /** Submitted through `/v6/async-events`. */
  async: boolean
  /** False when the emulator recorded the event but dropped the connection before answering (`drop-after`). */
  acknowledged: boolean
  /** Top-level body keys of `/v6/events` that Extole ignores (e.g. `email` outside `data`). */
  ignored_fields: string[]
}

export type ErasureStatus = 'PENDING' | 'COMPLETED'

export interface ErasureRecord {
  erasure_id: string
  email: string | null
  partner_user_id: string | null
  note: string | null
  status: ErasureStatus
  created_date: string
  person_ids: string[]
  persons_erased: number
  events_erased: number
}

export interface EventInput {
  event_name: string
  event_time?: string
  data: Record<string, unknown> | null
  async: boolean
  ignored_fields?: string[]
}

export interface ErasureInput {
  email?: string
  partner_user_id?: string
  note?: string
}

export interface StoreSnapshot {
  persons: Array<PersonRecord & { events: EventRecord[] }>
  events: EventRecord[]
  erasures: ErasureRecord[]
}

const PERSON_ID_BASE = 7_000_000_000_000_000_000n
const EVENT_ID_BASE = 8_000_000_000_000_000_000n
const ERASURE_ID_BASE = 9_000_000_000_000_000_000n

/** In-memory persons, events and erasures of one emulator instance. */
export class EmulatorStore {
  private persons = new Map<string, PersonRecord>()
  private events = new Map<string, EventRecord>()
  private erasures: ErasureRecord[] = []
  /** Dedupe key (`conversion:<partner_conversion_id>`, `registration:<partner_user_id>`) → event_id. */
  private dedupe = new Map<string, string>()
  // Counters survive reset() so that ids are never reused within one instance.
  private counters = { person: 0, event: 0, erasure: 0 }

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Records an event, or returns the original one when it is a duplicate conversion/registration. */
  recordEvent(input: EventInput): { event: EventRecord; duplicate: boolean } {
    const key = dedupeKey(input.event_name, input.data)
    const originalId = key === undefined ? undefined : this.dedupe.get(key)
    const original = originalId === undefined ? undefined : this.events.get(originalId)
    if (original) return { event: original, duplicate: true }

    const receivedAt = this.now().toISOString()
    const person = this.resolvePerson(input.data ?? {}, receivedAt)
    const dataEventTime = input.data?.event_time
    const event: EventRecord = {
      event_id: this.nextId('event', EVENT_ID_BASE),
      person_id: person.person_id,
      event_name: input.event_name,
      event_time: input.event_time ?? (typeof dataEventTime === 'string' ? dataEventTime : receivedAt),
      data: input.data === null ? null : structuredClone(input.data),
      received_at: receivedAt,
      async: input.async,
      acknowledged: true,
      ignored_fields: input.ignored_fields ?? []
    }
    this.events.set(event.event_id, event)
    if (key !== undefined) this.dedupe.set(key, event.event_id)
    return { event, duplicate: false }
  }

  markUnacknowledged(eventId: string): void {
    const event = this.events.get(eventId)
    if (event) event.acknowledged = false
  }

  /** Erases every person matching the email (case-insensitive) or the partner_user_id, with their events. */
  erase(input: ErasureInput, status: ErasureStatus): ErasureRecord {
    const email = input.email?.toLowerCase()
    const matches = [...this.persons.values()].filter(
      (p) =>
        (email !== undefined && p.email?.toLowerCase() === email) ||
        (input.partner_user_id !== undefined && p.partner_user_id === input.partner_user_id)
    )
    const personIds = new Set(matches.map((p) => p.person_id))
    let eventsErased = 0
    for (const [eventId, event] of this.events) {
      if (!personIds.has(event.person_id)) continue
      this.events.delete(eventId)
      eventsErased++
    }
    for (const [key, eventId] of this.dedupe) {
      if (!this.events.has(eventId)) this.dedupe.delete(key)
    }
    for (const id of personIds) this.persons.delete(id)
    const record: ErasureRecord = {
      erasure_id: this.nextId('erasure', ERASURE_ID_BASE),
      email: input.email ?? null,
      partner_user_id: input.partner_user_id ?? null,
      note: input.note ?? null,
      status,
      created_date: this.now().toISOString(),
      person_ids: [...personIds],
      persons_erased: personIds.size,
      events_erased: eventsErased
    }
    this.erasures.push(record)
    return record
  }

  /** A deep copy: mutating it does not affect the store. */
  snapshot(): StoreSnapshot {
    const events = [...this.events.values()]
    return structuredClone({
      persons: [...this.persons.values()].map((p) => ({
        ...p,
        events: events.filter((e) => e.person_id === p.person_id)
      })),
      events,
      erasures: this.erasures
    })
  }

  reset(): void {
    this.persons.clear()
    this.events.clear()
    this.erasures = []
    this.dedupe.clear()
  }

  /** Resolution order: email (case-insensitive), then partner_user_id, then person_id; else a new person. */
  private resolvePerson(data: Record<string, unknown>, at: string): PersonRecord {
    const email = typeof data.email === 'string' && data.email !== '' ? data.email : undefined
    const partnerUserId = nonEmpty(asIdentifier(data.partner_user_id))
    const personId = nonEmpty(asIdentifier(data.person_id))
    let person = this.findPerson(email, partnerUserId, personId)
    if (!person) {
      person = {
        person_id: this.nextId('person', PERSON_ID_BASE),
        email: null,
        partner_user_id: null,
        first_name: null,
        last_name: null,
        parameters: {},
        created_at: at,
        updated_at: at
      }
      this.persons.set(person.person_id, person)
    }
    // email is the identity key: set when the person has none, never replaced (no merging of profiles).
    if (email && person.email === null) person.email = email
    if (partnerUserId) person.partner_user_id = partnerUserId
    if (typeof data.first_name === 'string') person.first_name = data.first_name
    if (typeof data.last_name === 'string') person.last_name = data.last_name
    for (const [name, value] of Object.entries(data)) {
      if (RESERVED_DATA_KEYS.includes(name) || value === undefined) continue
      person.parameters[name] = { value: structuredClone(value), visibility: 'PUBLIC' }
    }
    person.updated_at = at
    return person
  }

  private findPerson(email?: string, partnerUserId?: string, personId?: string): PersonRecord | undefined {
    const all = [...this.persons.values()]
    const lowerEmail = email?.toLowerCase()
    const byEmail = lowerEmail === undefined ? undefined : all.find((p) => p.email?.toLowerCase() === lowerEmail)
    if (byEmail) return byEmail
    const byPartnerId = partnerUserId === undefined ? undefined : all.find((p) => p.partner_user_id === partnerUserId)
    if (byPartnerId) return byPartnerId
    return personId === undefined ? undefined : this.persons.get(personId)
  }

  private nextId(kind: 'person' | 'event' | 'erasure', base: bigint): string {
    this.counters[kind]++
    return (base + BigInt(this.counters[kind])).toString()
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function dedupeKey(eventName: string, data: Record<string, unknown> | null): string | undefined {
  if (!data) return undefined
  if (eventName === 'conversion') {
    const id = nonEmpty(asIdentifier(data.partner_conversion_id))
    return id === undefined ? undefined : `conversion:${id}`
  }
  if (eventName === 'registration') {
    const id = nonEmpty(asIdentifier(data.partner_user_id))
    return id === undefined ? undefined : `registration:${id}`
  }
  return undefined
}
