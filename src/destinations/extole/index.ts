import { defaultValues, type DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { authenticationFailureMessage, getCurrentToken, resolveConfig, type ExtoleConfig } from './extole-api'
import { createIdentifyAction } from './identify'
import { createTrackAction } from './track'
import { createOnDelete } from './onDelete'

export type { ExtoleConfig } from './extole-api'

/**
 * Builds the destination for a given pair of Extole hosts. The default export points at Extole's production hosts;
 * tests and the local harness build their own instance against an emulator. The hosts are never a user setting.
 */
export function createExtoleDestination(overrides: Partial<ExtoleConfig> = {}): DestinationDefinition<Settings> {
  const config = resolveConfig(overrides)
  const identify = createIdentifyAction(config)
  const track = createTrackAction(config)
  const trackDefaults = defaultValues(track.fields)

  return {
    name: 'Extole',
    slug: 'actions-extole',
    mode: 'cloud',
    description:
      'Send Segment Identify and Track calls to Extole to create referral-program profiles, registrations and conversions, and forward Segment deletion requests as Extole erasures.',

    authentication: {
      scheme: 'custom',
      fields: {
        apiKey: {
          label: 'API Key',
          description:
            'An Extole access token. Create one in Extole’s Tech Center (Security → Access Tokens) and paste it here; Segment keeps it secret.',
          type: 'password',
          required: true
        }
      },
      testAuthentication: async (request, { settings }) => {
        // Only the outcome matters: the token metadata Extole returns can echo the token, so it is not returned.
        try {
          await getCurrentToken(request, config)
        } catch (error) {
          throw new Error(authenticationFailureMessage(error, settings.apiKey))
        }
        return true
      }
    },

    extendRequest: ({ settings }) => ({
      headers: { Authorization: `Bearer ${settings.apiKey}` }
    }),

    presets: [
      {
        name: 'Identify Calls',
        subscribe: 'type = "identify"',
        partnerAction: 'identify',
        mapping: defaultValues(identify.fields),
        type: 'automatic'
      },
      {
        name: 'Track Calls',
        subscribe: 'type = "track" and event != "Signed Up" and event != "Order Completed"',
        partnerAction: 'track',
        mapping: trackDefaults,
        type: 'automatic'
      },
      {
        name: 'Signed Up',
        subscribe: 'type = "track" and event = "Signed Up"',
        partnerAction: 'track',
        mapping: { ...trackDefaults, event_name: 'registration' },
        type: 'automatic'
      },
      {
        name: 'Order Completed',
        subscribe: 'type = "track" and event = "Order Completed"',
        partnerAction: 'track',
        mapping: {
          ...trackDefaults,
          event_name: 'conversion',
          partner_conversion_id: { '@path': '$.properties.order_id' },
          cart_value: {
            '@if': {
              exists: { '@path': '$.properties.total' },
              then: { '@path': '$.properties.total' },
              else: { '@path': '$.properties.revenue' }
            }
          },
          coupon_code: { '@path': '$.properties.coupon' }
        },
        type: 'automatic'
      }
    ],

    actions: { identify, track },

    onDelete: createOnDelete(config)
  }
}

export default createExtoleDestination()
