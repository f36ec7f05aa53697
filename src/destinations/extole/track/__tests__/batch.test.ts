import nock from 'nock'
import { createTestIntegration, defaultValues, type SegmentEvent } from '@segment/actions-core'
import Definition, { createExtoleDestination } from '../../index'
import { API_KEY, EVENTS, extoleError, settings, TIMESTAMP } from '../../__tests__/helpers'

const order = (n: number, extra: Partial<SegmentEvent> = {}): SegmentEvent =>
  ({
    type: 'track',
    event: 'conversion',
    userId: `user-${n}`,
    timestamp: TIMESTAMP,
    properties: { partner_conversion_id: `order-${n}`, cart_value: `${n}.00` },
    ...extra
  }) as SegmentEvent

const bodyOf = (n: number) => ({
  event_name: 'conversion',
  event_time: TIMESTAMP,
  data: { partner_user_id: `user-${n}`, partner_conversion_id: `order-${n}`, cart_value: `${n}.00` }
})

/** One async-events interceptor per event, told apart by its conversion id. */
const forOrder = (n: number) =>
  nock(EVENTS).post('/v6/async-events', bodyOf(n)).matchHeader('authorization', `Bearer ${API_KEY}`)

describe('Extole.track batch (multi-status)', () => {
  const mapping = { ...defaultValues(Definition.actions.track.fields), enable_batching: true }

  it('sets every index with its own outcome and never lets one event fail its neighbours', async () => {
    const testDestination = createTestIntegration(createExtoleDestination({ timeoutMs: 200 }))
    forOrder(0).reply(200, { event_id: 'ev-0' })
    forOrder(1).reply(400, extoleError('event_blocked', 400))
    forOrder(2).reply(429, extoleError('too_many_requests', 429))
    forOrder(3).reply(503, extoleError('service_unavailable', 503))
    forOrder(4).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
    forOrder(6).reply(200, { event_id: 'ev-6' })
    forOrder(7).delay(1000).reply(200, { event_id: 'too-late' })

    const events = [
      order(0),
      order(1),
      order(2),
      order(3),
      order(4),
      order(5, { userId: undefined }), // no identity: refused by our own validation, never sent
      order(6),
      order(7)
    ]
    await testDestination.testBatchAction('track', { events, mapping, settings })
    const multistatus = testDestination.results[0].multistatus ?? []

    expect(multistatus).toHaveLength(events.length)
    expect(multistatus[0]).toEqual({ status: 200, sent: bodyOf(0), body: { event_id: 'ev-0' } })
    expect(multistatus[1]).toMatchObject({
      status: 400,
      errortype: 'BAD_REQUEST',
      errormessage: expect.stringMatching(/program rules blocked/),
      sent: bodyOf(1),
      body: { code: 'event_blocked', message: 'message for event_blocked', unique_id: 'uid-event_blocked' },
      errorreporter: 'DESTINATION'
    })
    expect(multistatus[2]).toMatchObject({ status: 429, errortype: 'RETRYABLE_ERROR', sent: bodyOf(2) })
    expect(multistatus[3]).toMatchObject({ status: 503, errortype: 'RETRYABLE_ERROR', sent: bodyOf(3) })
    expect(multistatus[4]).toMatchObject({
      status: 503,
      errortype: 'RETRYABLE_ERROR',
      errormessage: 'Extole could not be reached (ECONNRESET)'
    })
    expect(multistatus[5]).toMatchObject({
      status: 400,
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: expect.stringMatching(/`email`.*`partner_user_id`/)
    })
    expect(multistatus[5]).not.toHaveProperty('sent')
    expect(multistatus[6]).toEqual({ status: 200, sent: bodyOf(6), body: { event_id: 'ev-6' } })
    expect(multistatus[7]).toMatchObject({ status: 504, errortype: 'RETRYABLE_ERROR' })
    expect(JSON.stringify(multistatus)).not.toContain(API_KEY)
  })

  it.each([
    [401, 'method_unauthorized'],
    [403, 'missing_access_token']
  ])('reports %i %s per index as an authentication failure, as the single path does', async (status, code) => {
    const testDestination = createTestIntegration(Definition)
    forOrder(0).reply(status, extoleError(code, status))
    await testDestination.testBatchAction('track', { events: [order(0)], mapping, settings })
    expect(testDestination.results[0].multistatus?.[0]).toMatchObject({
      status,
      errortype: 'INVALID_AUTHENTICATION',
      errormessage: expect.stringMatching(/Extole rejected the API key/)
    })
  })

  it('keeps at most batchConcurrency requests in flight', async () => {
    const testDestination = createTestIntegration(createExtoleDestination({ batchConcurrency: 3 }))
    let inFlight = 0
    let peak = 0
    nock(EVENTS)
      .post('/v6/async-events')
      .times(12)
      .reply(200, async () => {
        peak = Math.max(peak, ++inFlight)
        await new Promise((resolve) => setTimeout(resolve, 10))
        inFlight--
        return { event_id: 'ok' }
      })
    const events = Array.from({ length: 12 }, (_, n) => order(n))
    await testDestination.testBatchAction('track', { events, mapping, settings })
    expect(testDestination.results[0].multistatus?.map((r) => r.status)).toEqual(new Array(12).fill(200))
    expect(peak).toBe(3)
  })

  it('sends byte-identical bodies on the single and the batch path', async () => {
    const testDestination = createTestIntegration(Definition)
    const bodies: string[] = []
    const record = (_uri: string, body: nock.Body) => {
      bodies.push(JSON.stringify(body))
      return { event_id: 'x', person_id: 'p' }
    }
    nock(EVENTS).post('/v6/events').reply(200, record)
    nock(EVENTS).post('/v6/async-events').reply(200, record)
    const event = order(42, {
      properties: { partner_conversion_id: 'o-42', cart_value: '4.20', nested: { a: [1, null, 'x'] }, ok: false },
      context: { traits: { email: 'n@example.com', firstName: 'N' } }
    })
    await testDestination.testAction('track', { event, mapping, settings })
    await testDestination.testBatchAction('track', { events: [event], mapping, settings })
    expect(bodies).toHaveLength(2)
    expect(bodies[1]).toBe(bodies[0])
    expect(JSON.parse(bodies[0])).toEqual({
      event_name: 'conversion',
      event_time: TIMESTAMP,
      data: {
        nested: { a: [1, null, 'x'] },
        ok: false,
        partner_user_id: 'user-42',
        email: 'n@example.com',
        first_name: 'N',
        partner_conversion_id: 'o-42',
        cart_value: '4.20'
      }
    })
  })
})
