import { PayloadValidationError, type ExecuteInput, type RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import { callExtole, createErasure, type ExtoleConfig } from '../extole-api'

/** What actions-core hands a deletion: Segment's deletion request carries the two ids and nothing else. */
export interface DeletionPayload {
  userId?: string | number | null
  anonymousId?: string | null
}

export const ERASURE_NOTE = 'Erasure requested through Segment (user deletion request)'

export function createOnDelete(config: ExtoleConfig) {
  return async (request: RequestClient, { payload, settings }: ExecuteInput<Settings, DeletionPayload>) => {
    // identify and track store a numeric userId as its string (actions-core coerces it), so erase it the same way.
    const raw: unknown = payload?.userId
    const userId =
      typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : ''
    if (!userId) {
      throw new PayloadValidationError(
        'The deletion request has no `userId`: Extole erases people by `partner_user_id`, which is the Segment userId.'
      )
    }
    const response = await callExtole(settings.apiKey, () =>
      createErasure(request, config, { partner_user_id: userId, note: ERASURE_NOTE })
    )
    return response.data
  }
}
