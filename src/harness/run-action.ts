import {
  Destination,
  defaultValues,
  type DestinationDefinition,
  type JSONObject,
  type SegmentEvent
} from '@segment/actions-core'
import { createExtoleDestination } from '../destinations/extole'
import type { Settings } from '../destinations/extole/generated-types'
import { ExchangeRecorder, instrumentDefinition, type Exchange } from './recorder'
import { scrubSecrets } from './redact'

/** Where the destination sends its requests: the emulator, or (explicit opt-in) Extole itself. */
export interface HarnessTarget {
  apiBaseUrl: string
  eventsBaseUrl: string
}

export interface HarnessConfig {
  target: HarnessTarget
  timeoutMs?: number
  batchConcurrency?: number
}

export interface HarnessError {
  name: string
  message: string
  status?: number
  code?: string
}

/** The body of every harness answer to an action, an authentication test or a deletion. */
export interface HarnessResult {
  ok: boolean
  exchanges: Exchange[]
  result?: unknown
  multistatus?: unknown[]
  error?: HarnessError
}

/** A problem with the harness request itself (not with the action): answered with `status` and `{ ok: false }`. */
export class HarnessRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400
  ) {
    super(message)
    this.name = 'HarnessRequestError'
  }
}

/** Gives the harness the single-event path `onEvent` uses, without a subscription filter in front of it. */
class HarnessDestination extends Destination<Settings> {
  runSingle(actionKey: string, event: SegmentEvent, mapping: JSONObject, settings: Settings) {
    return this.executeAction(actionKey, { event, mapping, settings })
  }
}

export function buildDefinition(config: HarnessConfig): DestinationDefinition<Settings> {
  return createExtoleDestination({
    apiBaseUrl: config.target.apiBaseUrl,
    eventsBaseUrl: config.target.eventsBaseUrl,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.batchConcurrency !== undefined ? { batchConcurrency: config.batchConcurrency } : {})
  })
}

/** Every settings value of a `password` field, plus `apiKey`: what must never appear in an answer. */
function secretsOf(definition: DestinationDefinition<Settings>, settings: Record<string, unknown>): string[] {
  const fields = definition.authentication?.fields ?? {}
  const names = new Set(['apiKey', ...Object.keys(fields).filter((name) => fields[name].type === 'password')])
  // Numbers too: ajv's type coercion may turn a numeric key into the string that is then sent.
  return [...names]
    .map((name) => settings[name])
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .map(String)
}

/**
 * One harness call: a fresh definition, recorder and Destination, so nothing (exchanges included) is shared with any
 * other call.
 */
async function inSession(
  base: DestinationDefinition<Settings>,
  settings: Record<string, unknown>,
  run: (destination: HarnessDestination, definition: DestinationDefinition<Settings>) => Promise<Partial<HarnessResult>>
): Promise<HarnessResult> {
  // Read when used: settings validation may coerce the values in place.
  const secrets = () => secretsOf(base, settings)
  const recorder = new ExchangeRecorder(secrets)
  const definition = instrumentDefinition(base, recorder)
  let outcome: HarnessResult
  try {
    const destination = new HarnessDestination(definition)
    const partial = await run(destination, definition)
    outcome = { ok: partial.ok ?? true, exchanges: recorder.exchanges, ...partial }
  } catch (error) {
    outcome = { ok: false, exchanges: recorder.exchanges, error: toHarnessError(error) }
  }
  return scrubSecrets(outcome, secrets())
}

export function toHarnessError(error: unknown): HarnessError {
  const { name, message, status, code } = (error ?? {}) as Record<string, unknown>
  const isSchemaError = name === 'AggregateAjvError' || name === 'ValidationError'
  const out: HarnessError = {
    name: typeof name === 'string' && name ? name : 'Error',
    message: typeof message === 'string' ? message : String(error)
  }
  if (typeof status === 'number') out.status = status
  else if (isSchemaError) out.status = 400
  if (typeof code === 'string' || typeof code === 'number') out.code = String(code)
  else if (isSchemaError) out.code = 'PAYLOAD_VALIDATION_FAILED'
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readSettings(body: Record<string, unknown>): Record<string, unknown> {
  const settings = body.settings ?? {}
  if (!isPlainObject(settings)) throw new HarnessRequestError('`settings` must be an object')
  return settings
}

/** The posted mapping as is (like a subscription's), or the action's field defaults when none is posted. */
function readMapping(body: Record<string, unknown>, fields: Record<string, unknown>): JSONObject {
  const mapping = body.mapping
  if (mapping === undefined || mapping === null) return defaultValues(fields as never) as JSONObject
  if (!isPlainObject(mapping)) throw new HarnessRequestError('`mapping` must be an object')
  return mapping as JSONObject
}

/** `POST /<actionKey>`: an object payload runs the single path, an array the batch path. */
export async function runAction(
  config: HarnessConfig,
  actionKey: string,
  body: Record<string, unknown>
): Promise<HarnessResult> {
  const payload = body.payload
  const isBatch = Array.isArray(payload)
  if (isBatch) {
    if (payload.length === 0) throw new HarnessRequestError('`payload` is an empty array: send at least one event')
    if (!payload.every(isPlainObject))
      throw new HarnessRequestError('every event of a `payload` array must be an object')
  } else if (!isPlainObject(payload)) {
    throw new HarnessRequestError('`payload` must be a Segment event (an object) or an array of them')
  }
  const settings = readSettings(body)
  const base = buildDefinition(config)
  const action = base.actions[actionKey]
  if (!action) throw new HarnessRequestError(`Unknown action "${actionKey}"`, 404)
  const mapping = readMapping(body, action.fields)

  return inSession(base, settings, async (destination) => {
    destination.validateSettings(settings as unknown as Settings)
    if (isBatch) {
      const multistatus = await destination.executeBatch(actionKey, {
        events: payload as unknown as SegmentEvent[],
        mapping,
        settings: settings as unknown as Settings
      })
      const ok = multistatus.every((node) => node.status >= 200 && node.status < 300)
      return { ok, multistatus }
    }
    const result = await destination.runSingle(
      actionKey,
      payload as unknown as SegmentEvent,
      mapping,
      settings as unknown as Settings
    )
    return { ok: true, result }
  })
}

/** `POST /authenticate`: `{ ok: true }` or `{ ok: false, error }`. */
export async function runAuthenticate(config: HarnessConfig, body: Record<string, unknown>): Promise<HarnessResult> {
  const settings = readSettings(body)
  return inSession(buildDefinition(config), settings, async (destination) => {
    await destination.testAuthentication(settings as unknown as Settings)
    return { ok: true }
  })
}

/** `POST /delete`: Segment's deletion request (`{ userId, anonymousId }`) through `onDelete`. */
export async function runDelete(config: HarnessConfig, body: Record<string, unknown>): Promise<HarnessResult> {
  const payload = body.payload
  if (!isPlainObject(payload)) throw new HarnessRequestError('`payload` must be an object `{ userId, anonymousId }`')
  const settings = readSettings(body)
  return inSession(buildDefinition(config), settings, async (destination) => {
    if (!destination.onDelete) throw new HarnessRequestError('This destination does not support deletions', 404)
    const result = await destination.onDelete(payload as unknown as SegmentEvent, settings as JSONObject)
    return { ok: true, result }
  })
}
