import { hostileRuns, SEEDS } from './lib/constants'
import { HOSTILE_ACTIONS, type HostileAction } from './lib/hostile'
import { startHostilePool, type HostilePool } from './lib/hostile-pool'
import { strictErrors } from './lib/schemas'

/**
 * Property-based hostile input: identify, track (single and batch paths), identify batch and the deletion, each
 * with 10,000 generated cases (`fc.assert` with a fixed seed, lib/hostile.ts). Per case: a delivered request or a
 * typed refusal (PayloadValidationError from the destination, AggregateAjvError from actions-core's schema check),
 * no uncaught exception, every body inside Extole's strict schema, exactly one correct Authorization header, the key
 * in no body, message or multistatus entry, no built-in prototype polluted.
 *
 * The five properties run on worker threads (lib/hostile-pool.ts, one per core), each against its own loopback
 * stand-in for Extole (lib/sink.ts). The whole file costs about 80 s of CPU: about 45 s of wall time on two free
 * cores (in jest's own sandbox, on one thread, it took over 100 s of CPU and as much wall time). */

const NUM_RUNS = hostileRuns()
let pool: HostilePool

beforeAll(() => {
  pool = startHostilePool(HOSTILE_ACTIONS.map((action) => ({ action, seed: SEEDS[action], numRuns: NUM_RUNS })))
})
afterAll(async () => {
  await pool.close()
})

describe('the strict schemas the bodies are checked against', () => {
  const event = { event_name: 'conversion', event_time: '2024-01-15T12:00:00.000Z', data: { email: 'a@b.co' } }

  it('accept what Extole’s spec describes', () => {
    expect(strictErrors('event', event)).toEqual([])
    expect(
      strictErrors('event', { ...event, data: { person_id: 12, partner_user_id: 'u', free: [{ x: 1 }] } })
    ).toEqual([])
    expect(strictErrors('erasure', { partner_user_id: 'u', note: 'n' })).toEqual([])
  })

  it.each([
    ['no event_time', { event_name: 'e', data: {} }],
    ['no data', { event_name: 'e', event_time: event.event_time }],
    ['null data', { ...event, data: null }],
    ['empty event_name', { ...event, event_name: '' }],
    ['a non-ISO event_time', { ...event, event_time: '2024-01-15' }],
    ['a bad email', { ...event, data: { email: 'x@' } }],
    ['a non-integer person_id', { ...event, data: { person_id: 1.5 } }],
    ['a string person_id', { ...event, data: { person_id: '12' } }],
    ['a numeric partner_user_id', { ...event, data: { partner_user_id: 12 } }],
    ['a bad data.event_time', { ...event, data: { event_time: 'yesterday' } }],
    ['a top-level key Extole ignores', { ...event, email: 'a@b.co' }]
  ])('refuse an event with %s', (_label, body) => {
    expect(strictErrors('event', body)).not.toEqual([])
  })

  it.each([
    ['no note', { partner_user_id: 'u' }],
    ['an empty partner_user_id', { partner_user_id: '', note: 'n' }],
    ['an email instead', { email: 'a@b.co', note: 'n' }]
  ])('refuse an erasure with %s', (_label, body) => {
    expect(strictErrors('erasure', body)).not.toEqual([])
  })
})

describe('hostile input (property-based)', () => {
  const TIMEOUT_MS = 240_000
  const property = (action: HostileAction) => async () => {
    const result = await pool.result(action)
    // fast-check's report (seed, shrunk counterexample, cause) when a case broke an invariant.
    expect(result.failure).toBeUndefined()
    const { stats } = result
    expect(stats.cases).toBe(NUM_RUNS)
    expect(stats.rejectedByExtole).toBe(0)
    expect(stats.retryable).toBe(0)
    expect(result.uncaught).toEqual([])
    expect(result.prototypeProblems).toEqual([])
    // Every event ends delivered or refused by a typed validation error, nothing else.
    expect(stats.delivered + stats.refusedBySchema + stats.refusedByDestination).toBe(stats.events)
    expect(stats.requests).toBe(stats.delivered)
    // The generators are hostile, not hopeless: a fair share of the cases gets all the way to a request.
    expect(stats.delivered).toBeGreaterThan(stats.events * 0.2)
  }

  it(`identify: ${NUM_RUNS} cases`, property('identify'), TIMEOUT_MS)
  it(`track: ${NUM_RUNS} cases`, property('track'), TIMEOUT_MS)
  it(`track batch: ${NUM_RUNS} batches of 1 to 3 events`, property('trackBatch'), TIMEOUT_MS)
  it(`identify batch: ${NUM_RUNS} batches of 1 to 3 events`, property('identifyBatch'), TIMEOUT_MS)
  it(`deletion: ${NUM_RUNS} cases`, property('delete'), TIMEOUT_MS)
})
