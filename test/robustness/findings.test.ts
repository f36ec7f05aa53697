import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { createTestIntegration, defaultValues, PayloadValidationError, type JSONObject } from '@segment/actions-core'
import { createExtoleDestination } from '../../src/destinations/extole'
import { SECRET_SETTINGS } from './lib/constants'
import { startSink, type Sink } from './lib/sink'

/**
 * What the robustness runs turned up, pinned as regression tests: the destination's bugs they found (now fixed) and
 * actions-core behaviour the destination cannot change.
 */

const destinationFor = (url: string) =>
  createTestIntegration(createExtoleDestination({ apiBaseUrl: url, eventsBaseUrl: url }))
let sink: Sink
let testDestination: ReturnType<typeof destinationFor>

beforeAll(async () => {
  sink = await startSink()
  testDestination = destinationFor(sink.url)
})
afterAll(async () => {
  await sink.stop()
})
beforeEach(() => sink.take())

describe('numeric userId', () => {
  it('is accepted by identify: actions-core coerces it into partner_user_id "12345"', async () => {
    const event = { type: 'identify', userId: 12345, traits: {} } as never
    await testDestination.testAction('identify', { event, settings: SECRET_SETTINGS, useDefaultMappings: true })
    const [request] = sink.take()
    expect(request.json).toMatchObject({ data: { partner_user_id: '12345' } })
  })

  // Found here: a numeric userId on a deletion was refused ("no `userId`") although identify and track store it as
  // partner_user_id "12345", so that person could never be erased through Segment.
  it('erases that person: a numeric userId on the deletion becomes partner_user_id "12345"', async () => {
    await testDestination.onDelete?.({ userId: 12345 } as never, SECRET_SETTINGS as unknown as JSONObject)
    const [request] = sink.take()
    expect(request.json).toEqual({ partner_user_id: '12345', note: expect.any(String) })
  })
})

describe('event_time that is not an ISO 8601 date-time with an offset', () => {
  const sendWithEventTime = async (eventTime: string) => {
    const event = { type: 'identify', userId: 'u1', traits: {} } as never
    const mapping = { ...defaultValues(createExtoleDestination().actions.identify.fields), event_time: eventTime }
    await testDestination.testAction('identify', { event, mapping, settings: SECRET_SETTINGS })
    return (sink.take()[0]?.json as { event_time?: string } | undefined)?.event_time
  }

  // Found here: `new Date(value)` took whatever V8's legacy parser takes, and actions-core's date-like check lets "12"
  // and "0" through, so the destination sent made-up dates (2001-12-01, 2000-01-01). Strings must now be ISO 8601.
  it.each(['12', '0'])('refuses event_time %p instead of sending a made-up date', async (eventTime) => {
    await expect(sendWithEventTime(eventTime)).rejects.toThrow(PayloadValidationError)
  })

  it('(guard for the tests around it) sends an ISO 8601 date-time with an offset, in UTC', async () => {
    expect(await sendWithEventTime('2024-01-15T13:00:00+01:00')).toBe('2024-01-15T12:00:00.000Z')
    expect(eventTimeUnder('America/New_York', '2024-01-15T12:00:00Z')).toBe('2024-01-15T12:00:00.000Z')
  })

  // Found here: an offset-less date-time was read in the host's time zone, so one event got another event_time on
  // another machine. It is now read as UTC everywhere.
  it('reads an offset-less event_time the same whatever the host time zone', () => {
    const utc = eventTimeUnder('UTC', '2024-01-15T12:00:00')
    const newYork = eventTimeUnder('America/New_York', '2024-01-15T12:00:00')
    expect(utc).toBe('2024-01-15T12:00:00.000Z')
    expect(newYork).toBe(utc)
  })
})

/** `toEventTime(value)` in a fresh Node process with TZ set (jest's process.env cannot change the zone). */
function eventTimeUnder(tz: string, value: string): string {
  const script = `
    const { toEventTime } = require(${JSON.stringify(path.resolve(__dirname, '../../src/destinations/extole/event-data'))})
    try { process.stdout.write(toEventTime(${JSON.stringify(value)})) } catch (e) { process.stdout.write('refused') }
  `
  return execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8'
  })
}

describe('upstream: actions-core 3.170 on a `null` context (kept out of the generators)', () => {
  // Not the destination's code: actions-core's audience-membership.js destructures `context.personas` with a default
  // that only covers `undefined`, so `context: null` throws a TypeError before any action code runs (the batch path
  // included: the whole batch throws, no multistatus). Segment always sends an object context; this pins the
  // behaviour so an actions-core upgrade that changes it is noticed.
  it('throws a TypeError before the action runs', async () => {
    const event = { type: 'track', event: 'conversion', userId: 'u1', context: null } as never
    await expect(
      testDestination.testAction('track', { event, settings: SECRET_SETTINGS, useDefaultMappings: true })
    ).rejects.toThrow(TypeError)
    expect(sink.take()).toEqual([])
  })
})
