import type { SegmentEvent } from '@segment/actions-core'

export const API_KEY = 'bench-extole-key'
export const TIMESTAMP = '2024-01-15T12:00:00.000Z'

/** A realistic conversion: identity in `userId` and `context.traits`, order fields and a few extra properties. */
export function trackEvent(i: number): SegmentEvent {
  const user = i % 1000
  return {
    type: 'track',
    event: 'conversion',
    messageId: `bench-${i}`,
    userId: `user-${user}`,
    anonymousId: `anon-${user}`,
    timestamp: TIMESTAMP,
    context: {
      ip: '203.0.113.7',
      library: { name: 'analytics.js', version: '2.11.1' },
      traits: { email: `user${user}@example.com`, first_name: 'Ada', last_name: 'Lovelace' }
    },
    properties: {
      partner_conversion_id: `order-${i}`,
      cart_value: '99.99',
      coupon_code: 'SAVE10',
      currency: 'USD',
      items: 3,
      channel: 'web'
    }
  } as SegmentEvent
}

/**
 * What the Extole destination sends for `trackEvent(0)`. The floor (a) and plain Node (d) post this fixed body, so
 * every path puts the same bytes on the wire; the bench checks the destination's own body against it.
 */
export const FIXED_BODY = {
  event_name: 'conversion',
  event_time: TIMESTAMP,
  data: {
    currency: 'USD',
    items: 3,
    channel: 'web',
    partner_user_id: 'user-0',
    email: 'user0@example.com',
    first_name: 'Ada',
    last_name: 'Lovelace',
    partner_conversion_id: 'order-0',
    cart_value: '99.99',
    coupon_code: 'SAVE10'
  }
}
