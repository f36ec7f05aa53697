import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { resolveConfig, type ExtoleConfig, type ExtoleEvent } from '../extole-api'
import { eventDelivery } from '../delivery'
import { buildEvent, checkIdentity, dataBuilder, IDENTITY_KEYS } from '../event-data'
import { batch_size, email, enable_batching, event_time, first_name, last_name, partner_user_id } from '../fields'

// Traits that the mapping table turns into Extole's standard fields are not repeated as parameters.
const identifyData = dataBuilder(IDENTITY_KEYS, ['firstName', 'lastName'])

export function toIdentifyEvent(payload: Payload): ExtoleEvent {
  const identity = checkIdentity(payload)
  const data = identifyData(payload.traits, { ...identity })
  return buildEvent('identify', payload.event_time, data)
}

export function createIdentifyAction(config: ExtoleConfig): ActionDefinition<Settings, Payload> {
  return {
    title: 'Identify',
    description:
      'Create or update an Extole profile from a Segment Identify call. Traits outside the mapping table become PUBLIC profile parameters, Engage audience traits included.',
    defaultSubscription: 'type = "identify"',
    fields: {
      partner_user_id: partner_user_id('$.userId'),
      email: email('$.traits.email'),
      first_name: first_name('$.traits.firstName', '$.traits.first_name'),
      last_name: last_name('$.traits.lastName', '$.traits.last_name'),
      traits: {
        label: 'Profile Parameters',
        description:
          'Other traits, sent under their own names with their JSON types kept. Extole stores them as PUBLIC parameters on the profile.',
        type: 'object',
        defaultObjectUI: 'keyvalue',
        default: { '@path': '$.traits' }
      },
      event_time,
      enable_batching,
      batch_size
    },
    ...eventDelivery(config, toIdentifyEvent)
  }
}

export default createIdentifyAction(resolveConfig())
