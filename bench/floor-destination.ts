import type { DestinationDefinition } from '@segment/actions-core'

export interface FloorSettings {
  apiKey: string
}

/**
 * The framework floor (a): the least a destination on the same actions-core can do per event. One action, no fields
 * (so no mapping beyond an empty one and no payload schema), and `perform` posts a fixed JSON body. It keeps the same
 * authentication field and Bearer header as the Extole destination, so settings validation and the request
 * client's header merge are part of the floor and the (b)/(a) ratio isolates the action itself.
 */
export function createFloorDestination(url: string, body: object): DestinationDefinition<FloorSettings> {
  return {
    name: 'Bench Floor',
    mode: 'cloud',
    authentication: {
      scheme: 'custom',
      fields: {
        apiKey: { label: 'API Key', description: 'Sent as a Bearer token.', type: 'password', required: true }
      }
    },
    extendRequest: ({ settings }) => ({ headers: { Authorization: `Bearer ${settings.apiKey}` } }),
    actions: {
      send: {
        title: 'Send',
        description: 'Posts a fixed JSON body.',
        fields: {},
        perform: (request) => request(url, { method: 'POST', json: body })
      }
    }
  }
}
