import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { resolveConfig, type ExtoleConfig, type ExtoleEvent } from '../extole-api'
import { eventDelivery } from '../delivery'
import { buildEvent, checkIdentity, dataBuilder, IDENTITY_KEYS } from '../event-data'
import { batch_size, email, enable_batching, event_time, first_name, last_name, partner_user_id } from '../fields'

// `firstName` / `lastName` properties are already carried by the mapped `first_name` / `last_name`.
const trackData = dataBuilder(
  [...IDENTITY_KEYS, 'partner_conversion_id', 'cart_value', 'coupon_code'],
  ['firstName', 'lastName']
)

export function toTrackEvent(payload: Payload): ExtoleEvent {
  const identity = checkIdentity(payload)
  const data = trackData(payload.properties, {
    ...identity,
    partner_conversion_id: payload.partner_conversion_id,
    cart_value: payload.cart_value,
    coupon_code: payload.coupon_code
  })
  return buildEvent(payload.event_name, payload.event_time, data)
}

export function createTrackAction(config: ExtoleConfig): ActionDefinition<Settings, Payload> {
  return {
    title: 'Track',
    description:
      'Send a Segment Track call to Extole as an event, such as a `registration` or a `conversion` that drives your referral program.',
    defaultSubscription: 'type = "track"',
    fields: {
      event_name: {
        label: 'Event Name',
        description:
          'The Extole event name. Defaults to the Segment event name; set it to `registration`, `conversion` or any event your Extole program listens for.',
        type: 'string',
        required: true,
        default: { '@path': '$.event' }
      },
      partner_user_id: partner_user_id('$.properties.partner_user_id', '$.userId'),
      email: email('$.properties.email', '$.context.traits.email'),
      first_name: first_name(
        '$.properties.first_name',
        '$.properties.firstName',
        '$.context.traits.first_name',
        '$.context.traits.firstName'
      ),
      last_name: last_name(
        '$.properties.last_name',
        '$.properties.lastName',
        '$.context.traits.last_name',
        '$.context.traits.lastName'
      ),
      partner_conversion_id: {
        label: 'Partner Conversion ID',
        description:
          'Your identifier for a conversion (an order id). Extole de-duplicates conversions that repeat it, so retries never count twice.',
        type: 'string',
        default: { '@path': '$.properties.partner_conversion_id' }
      },
      cart_value: {
        label: 'Cart Value',
        description: 'The conversion amount, sent as a decimal string such as `99.99`.',
        type: 'string',
        default: { '@path': '$.properties.cart_value' }
      },
      coupon_code: {
        label: 'Coupon Code',
        description: 'A coupon or referral code used with the event.',
        type: 'string',
        default: { '@path': '$.properties.coupon_code' }
      },
      properties: {
        label: 'Event Data',
        description: 'Other event properties, sent to Extole in the event’s data under their own names and JSON types.',
        type: 'object',
        defaultObjectUI: 'keyvalue',
        default: { '@path': '$.properties' }
      },
      event_time,
      enable_batching,
      batch_size
    },
    ...eventDelivery(config, toTrackEvent)
  }
}

export default createTrackAction(resolveConfig())
