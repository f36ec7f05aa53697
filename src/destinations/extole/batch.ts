import {
  ErrorCodes,
  getErrorCodeFromHttpStatus,
  IntegrationError,
  MultiStatusResponse,
  PayloadValidationError
} from '@segment/actions-core'
import type { JSONLikeObject, RequestClient } from '@segment/actions-core'
import {
  describeFailure,
  submitEventAsync,
  type ExtoleConfig,
  type ExtoleEvent,
  type ExtoleFailure
} from './extole-api'

/** Runs `worker` over `items` with at most `limit` in flight, keeping each result at its item's index. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await worker(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  return results
}

function errorType(failure: ExtoleFailure): keyof typeof ErrorCodes {
  switch (failure.kind) {
    case 'retryable':
      return 'RETRYABLE_ERROR'
    case 'authentication':
      return 'INVALID_AUTHENTICATION'
    case 'rejected':
      return getErrorCodeFromHttpStatus(failure.status)
  }
}

/**
 * The batch path: every payload becomes one `POST /v6/async-events`, run with bounded concurrency, and every index
 * of the response is set, so one bad event never fails or re-sends its neighbours.
 */
export async function sendBatch<P>(
  request: RequestClient,
  config: ExtoleConfig,
  apiKey: string,
  payloads: readonly P[],
  toEvent: (payload: P) => ExtoleEvent
): Promise<MultiStatusResponse> {
  const response = new MultiStatusResponse()
  await mapWithConcurrency(payloads, config.batchConcurrency, async (payload, index) => {
    let event: ExtoleEvent
    try {
      event = toEvent(payload)
    } catch (error) {
      // Our own refusal of one event (missing identity, bad email or time) stays at its index.
      response.setErrorResponseAtIndex(index, {
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: error instanceof PayloadValidationError ? error.message : 'The event could not be mapped'
      })
      return
    }
    const sent = event as unknown as JSONLikeObject
    try {
      const result = await submitEventAsync(request, config, event)
      response.setSuccessResponseAtIndex(index, {
        status: result.status,
        sent,
        body: (result.data ?? {}) as JSONLikeObject
      })
    } catch (error) {
      const failure = describeFailure(error, apiKey) ?? unexpected(error)
      response.setErrorResponseAtIndex(index, {
        status: failure.status,
        errortype: errorType(failure),
        errormessage: failure.message,
        sent,
        body: (failure.body ?? failure.message) as JSONLikeObject | string
      })
    }
  })
  return response
}

function unexpected(error: unknown): ExtoleFailure {
  const code = error instanceof IntegrationError ? (error.code ?? 'UNEXPECTED_ERROR') : 'UNEXPECTED_ERROR'
  return { kind: 'retryable', status: 500, code, message: 'Unexpected error while calling Extole' }
}
