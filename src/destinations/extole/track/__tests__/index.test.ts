import { createTestIntegration, Destination, PayloadValidationError, type JSONObject } from '@segment/actions-core'
import Definition from '../../index'
import { expectEvent, settings, TIMESTAMP } from '../../__tests__/helpers'

const testDestination = createTestIntegration(Definition)

const track = (event: string, properties: JSONObject, extra: Record<string, unknown> = {}) =>
  testDestination.testAction('track', {
    event: { type: 'track', event, properties, timestamp: TIMESTAMP, userId: undefined, ...extra },
    settings,
    useDefaultMappings: true
  })

describe('Extole.track', () => {
  it('sends the seed doc’s registration with exactly the seed’s fields', async () => {
    const properties = {
      email: 'john.doe@example.com',
      first_name: 'John',
      last_name: 'Doe',
      partner_user_id: 'userId123'
    }
    expectEvent('/v6/events', { event_name: 'registration', event_time: TIMESTAMP, data: properties })
    const [response] = await track('registration', properties)
    expect(response.status).toBe(200)
  })

  it('sends the seed doc’s conversion with exactly the seed’s fields', async () => {
    const properties = {
      email: 'john.doe@example.com',
      first_name: 'John',
      last_name: 'Doe',
      partner_conversion_id: 'purchaseId123',
      cart_value: '99.99'
    }
    expectEvent('/v6/events', { event_name: 'conversion', event_time: TIMESTAMP, data: properties })
    await track('conversion', properties)
  })

  it('sends Login Button Clicked under its Segment name, identified by userId and context traits', async () => {
    expectEvent('/v6/events', {
      event_name: 'Login Button Clicked',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'userId123', email: 'john.doe@example.com', first_name: 'John' }
    })
    await track(
      'Login Button Clicked',
      {},
      { userId: 'userId123', context: { traits: { email: 'john.doe@example.com', firstName: 'John' } } }
    )
  })

  it('lets the mapping rename the event, so no support ticket is needed', async () => {
    expectEvent('/v6/events', {
      event_name: 'login',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'userId123', source: 'web' }
    })
    await testDestination.testAction('track', {
      event: { type: 'track', event: 'Login Button Clicked', userId: 'userId123', properties: { source: 'web' } },
      mapping: { event_name: 'login', event_time: TIMESTAMP },
      settings,
      useDefaultMappings: true
    })
  })

  it('prefers properties over context traits, and userId when no partner_user_id property is set', async () => {
    expectEvent('/v6/events', {
      event_name: 'Viewed',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'u9', email: 'prop@example.com', last_name: 'Prop', count: 2, ok: false }
    })
    await track(
      'Viewed',
      { email: 'prop@example.com', lastName: 'Prop', count: 2, ok: false },
      { userId: 'u9', context: { traits: { email: 'ctx@example.com', lastName: 'Ctx' } } }
    )
  })

  it('refuses a track with neither email nor partner_user_id, naming both', async () => {
    await expect(track('conversion', { cart_value: '1.00' })).rejects.toThrow(PayloadValidationError)
    await expect(track('conversion', { cart_value: '1.00' })).rejects.toThrow(/`email`.*`partner_user_id`/)
  })

  it('refuses a malformed email', async () => {
    await expect(track('registration', { email: 'john@', partner_user_id: 'u1' })).rejects.toThrow(/`email`/)
  })

  it('refuses a person_id that is not an integer rather than sending it', async () => {
    await expect(track('registration', { partner_user_id: 'u1', person_id: 'abc' })).rejects.toThrow(/`person_id`/)
  })
})

describe('Extole presets through Destination.onEvent', () => {
  const destination = new Destination(Definition)
  const preset = (name: string) => {
    const found = Definition.presets?.find((p) => p.name === name)
    if (!found || found.type !== 'automatic') throw new Error(`no automatic preset ${name}`)
    return found
  }
  const run = (name: string, event: Record<string, unknown>) => {
    const p = preset(name)
    return destination.onEvent(
      { ...event, timestamp: TIMESTAMP } as never,
      {
        ...settings,
        subscription: { subscribe: p.subscribe, partnerAction: p.partnerAction, mapping: p.mapping }
      } as never
    )
  }

  it('maps Segment’s Signed Up to Extole’s registration', async () => {
    expectEvent('/v6/events', {
      event_name: 'registration',
      event_time: TIMESTAMP,
      data: { partner_user_id: 'userId123', email: 'john.doe@example.com', method: 'email' }
    })
    await run('Signed Up', {
      type: 'track',
      event: 'Signed Up',
      userId: 'userId123',
      properties: { method: 'email' },
      context: { traits: { email: 'john.doe@example.com' } }
    })
  })

  it('maps Segment’s Order Completed to Extole’s conversion with order id, total and coupon', async () => {
    expectEvent('/v6/events', {
      event_name: 'conversion',
      event_time: TIMESTAMP,
      data: {
        order_id: 'o-1',
        total: 27.5,
        revenue: 25,
        coupon: 'SPRING',
        currency: 'USD',
        partner_user_id: 'userId123',
        email: 'john.doe@example.com',
        partner_conversion_id: 'o-1',
        cart_value: '27.5',
        coupon_code: 'SPRING'
      }
    })
    await run('Order Completed', {
      type: 'track',
      event: 'Order Completed',
      userId: 'userId123',
      properties: { order_id: 'o-1', total: 27.5, revenue: 25, coupon: 'SPRING', currency: 'USD' },
      context: { traits: { email: 'john.doe@example.com' } }
    })
  })

  it('falls back to revenue when Order Completed has no total', async () => {
    expectEvent('/v6/events', {
      event_name: 'conversion',
      event_time: TIMESTAMP,
      data: { order_id: 7, revenue: 10, partner_user_id: 'u1', partner_conversion_id: '7', cart_value: '10' }
    })
    await run('Order Completed', {
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      properties: { order_id: 7, revenue: 10 }
    })
  })

  it('leaves Signed Up and Order Completed out of the generic Track Calls preset', async () => {
    const p = preset('Track Calls')
    const results = await destination.onEvent(
      { type: 'track', event: 'Signed Up', userId: 'u1' } as never,
      {
        ...settings,
        subscription: { subscribe: p.subscribe, partnerAction: p.partnerAction, mapping: p.mapping }
      } as never
    )
    expect(results).toEqual([{ output: 'not subscribed' }])
  })
})
