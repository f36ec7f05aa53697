import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { callExtole, submitEvent, type ExtoleConfig, type ExtoleEvent } from './extole-api'
import { sendBatch } from './batch'

/**
 * The two ways an action delivers events: one synchronous `POST /v6/events` per call, or the batch path. Both build
 * the body with the same `toEvent`, so the single and batch paths cannot drift apart.
 */
export function eventDelivery<Payload>(
  config: ExtoleConfig,
  toEvent: (payload: Payload) => ExtoleEvent
): Pick<ActionDefinition<Settings, Payload>, 'perform' | 'performBatch'> {
  return {
    perform: (request, { payload, settings }) => {
      const event = toEvent(payload)
      return callExtole(settings.apiKey, () => submitEvent(request, config, event))
    },
    performBatch: (request, { payload, settings }) => sendBatch(request, config, settings.apiKey, payload, toEvent)
  }
}
