import { randomUUID } from 'node:crypto'

/**
 * Extole error bodies (`RestExceptionResponse`). Codes, statuses and messages marked "spec" are copied from
 * `components.examples` of Extole's integration-server-to-extole OpenAPI document; the others are not in the spec
 * and are emulator-defined, using the same shape.
 */
export const EXTOLE_ERRORS = {
  // spec
  missing_event_name: { status: 400, message: 'Event name is required.' },
  invalid_event_time_format: { status: 400, message: 'Invalid event time format. Expected: ISO8601 format' },
  invalid_json: { status: 400, message: 'JSON is invalid' },
  missing_request_body: { status: 400, message: 'Missing request body' },
  binding_error: { status: 400, message: 'Argument is not of the expected type' },
  event_blocked: { status: 400, message: 'Blocked due to client specific rules to ignore spurious events' },
  unsupported_media_type: { status: 415, message: 'Request had an unsupported or no media type' },
  method_unauthorized: { status: 401, message: 'Unauthorized access to this endpoint' },
  missing_access_token: { status: 403, message: 'No access_token was provided with this request.' },
  access_denied: {
    status: 403,
    message: 'The access_token provided is not permitted to access the specified resource.'
  },
  too_many_requests: {
    status: 429,
    message: 'The server is unable to process your request at the moment, please retry later.'
  },
  // emulator-defined (not in the spec)
  empty_request: { status: 400, message: 'Either email or partner_user_id is required' },
  not_found: { status: 404, message: 'The requested resource was not found' },
  method_not_allowed: { status: 405, message: 'The HTTP method is not supported by this endpoint' },
  request_too_large: { status: 413, message: 'The request body is too large' },
  internal_error: { status: 500, message: 'The server encountered an internal error, please retry later.' },
  bad_gateway: { status: 502, message: 'The server received an invalid response from an upstream server.' },
  service_unavailable: { status: 503, message: 'The service is temporarily unavailable, please retry later.' },
  gateway_timeout: { status: 504, message: 'The upstream server did not answer in time, please retry later.' },
  invalid_emulator_fault: { status: 400, message: 'Unknown emulator fault or latency header value' }
} as const satisfies Record<string, { status: number; message: string }>

export type ExtoleErrorCode = keyof typeof EXTOLE_ERRORS

/** The shape of every Extole error response body. */
export interface ExtoleErrorBody {
  code: string
  http_status_code: number
  message: string
  parameters: Record<string, unknown>
  unique_id: string
}

/** Builds a fresh error body (new `unique_id` every call). `message` overrides the default text. */
export function extoleError(code: ExtoleErrorCode, message?: string): ExtoleErrorBody {
  const def = EXTOLE_ERRORS[code]
  return {
    code,
    http_status_code: def.status,
    message: message ?? def.message,
    parameters: {},
    unique_id: randomUUID()
  }
}

/** The error code the emulator uses for a given 5xx status. */
export function serverErrorCodeFor(status: number): ExtoleErrorCode {
  switch (status) {
    case 502:
      return 'bad_gateway'
    case 503:
      return 'service_unavailable'
    case 504:
      return 'gateway_timeout'
    default:
      return 'internal_error'
  }
}
