import nock from 'nock'
import { createTestIntegration, defaultValues, type SegmentEvent } from '@segment/actions-core'
import Definition from '../../index'
import { API_KEY, EVENTS, settings, TIMESTAMP } from '../../__tests__/helpers'

const testDestination = createTestIntegration(Definition)
const mapping = { ...defaultValues(Definition.actions.identify.fields), enable_batching: true }

const member = (userId: string, inAudience: boolean) =>
  ({
    type: 'identify',
    userId,
    timestamp: TIMESTAMP,
    traits: { email: `${userId}@example.com`, order_completed_last_30days: inAudience }
  }) as SegmentEvent

describe('Extole.identify batch (Engage audience sync)', () => {
  it('sends each member through the async endpoint and reports each one, exits included', async () => {
    const events = [member('a', true), member('b', false), { ...member('c', true), traits: { email: 'c@' } }]
    for (const [userId, inAudience] of [
      ['a', true],
      ['b', false]
    ] as const) {
      nock(EVENTS)
        .post('/v6/async-events', {
          event_name: 'identify',
          event_time: TIMESTAMP,
          data: { partner_user_id: userId, email: `${userId}@example.com`, order_completed_last_30days: inAudience }
        })
        .matchHeader('authorization', `Bearer ${API_KEY}`)
        .reply(200, { event_id: `ev-${userId}` })
    }

    await testDestination.testBatchAction('identify', { events, mapping, settings })

    expect(testDestination.results[0].multistatus).toMatchObject([
      { status: 200, body: { event_id: 'ev-a' } },
      { status: 200, body: { event_id: 'ev-b' } },
      { status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED', errormessage: expect.stringContaining('`email`') }
    ])
  })
})
