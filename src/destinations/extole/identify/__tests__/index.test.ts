import { createTestIntegration, PayloadValidationError, type JSONObject } from '@segment/actions-core'
import Definition from '../../index'
import { expectEvent, settings, TIMESTAMP } from '../../__tests__/helpers'

const testDestination = createTestIntegration(Definition)

const identify = (userId: string | undefined, traits: JSONObject) =>
  testDestination.testAction('identify', {
    event: { type: 'identify', userId, traits, timestamp: TIMESTAMP },
    settings,
    useDefaultMappings: true
  })

describe('Extole.identify', () => {
  it('sends the seed doc’s John Doe identify as an Extole identify event', async () => {
    expectEvent('/v6/events', {
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: {
        partner_user_id: 'userId123',
        email: 'john.doe@example.com',
        first_name: 'John',
        last_name: 'Doe',
        age: 25,
        existingCustomer: true
      }
    })

    const responses = await identify('userId123', {
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      age: 25,
      existingCustomer: true
    })

    expect(responses).toHaveLength(1)
    expect(responses[0].status).toBe(200)
    expect(responses[0].options.method).toBe('POST')
    expect(responses[0].url).toBe('https://events.extole.io/v6/events')
  })

  it('accepts first_name / last_name traits as well', async () => {
    expectEvent('/v6/events', {
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'u1', email: 'a@example.com', first_name: 'Ann', last_name: 'Lee' }
    })
    await identify('u1', { email: 'a@example.com', first_name: 'Ann', last_name: 'Lee' })
  })

  it.each([true, false])('delivers an Engage audience trait set to %s unchanged', async (member) => {
    expectEvent('/v6/events', {
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'userId123', email: 'john.doe@example.com', order_completed_last_30days: member }
    })
    await identify('userId123', { email: 'john.doe@example.com', order_completed_last_30days: member })
  })

  it('keeps the JSON type of every other trait', async () => {
    const traits = { plan: 'pro', seats: 3, ratio: 0.5, active: false, tags: ['a', 'b'], address: { city: 'Paris' } }
    expectEvent('/v6/events', {
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'u2', ...traits }
    })
    await identify('u2', traits)
  })

  it('identifies by email alone', async () => {
    expectEvent('/v6/events', {
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: { email: 'only@example.com' }
    })
    await identify(undefined, { email: 'only@example.com' })
  })

  it('refuses an identify with neither email nor userId before any request, naming both fields', async () => {
    const attempt = identify(undefined, { firstName: 'Nobody' })
    await expect(attempt).rejects.toThrow(PayloadValidationError)
    await expect(identify(undefined, { firstName: 'Nobody' })).rejects.toThrow(/`email`.*`partner_user_id`/)
  })

  it('refuses a malformed email, naming the field', async () => {
    await expect(identify('u3', { email: 'not-an-email' })).rejects.toMatchObject({
      name: 'PayloadValidationError',
      message: expect.stringContaining('`email`')
    })
  })

  it('refuses an unparsable timestamp, naming the Event Time field', async () => {
    await expect(
      testDestination.testAction('identify', {
        event: { type: 'identify', userId: 'u4', traits: {}, timestamp: '2024-02-31T25:61:00Z' },
        settings,
        useDefaultMappings: true
      })
    ).rejects.toThrow(/Event Time must be a valid date/)
  })
})
