import {
  AccessTokenResponseSchema,
  ErasureRequestSchema,
  ErasureResponseSchema,
  EventDispatcherAsyncResponseSchema,
  EventDispatcherRequestSchema,
  EventDispatcherResponseSchema,
  EventSubmissionDataSchema,
  EXTOLE_ERRORS,
  extoleError,
  extoleSchemas,
  RestExceptionResponseSchema
} from '..'
import { ajv, UUID } from './helpers'

describe('extole-schemas', () => {
  it('every schema compiles in ajv strict mode', () => {
    for (const schema of Object.values(extoleSchemas)) expect(() => ajv.compile(schema)).not.toThrow()
  })

  it('RestExceptionResponse accepts the spec example shape and rejects partial bodies', () => {
    const validate = ajv.compile(RestExceptionResponseSchema)
    const example = {
      code: 'missing_event_name',
      http_status_code: 400,
      message: 'Event name is required.',
      parameters: {},
      unique_id: '00000000-0000-0000-0000-000000000000'
    }
    expect(validate(example)).toBe(true)
    for (const key of Object.keys(example)) {
      const partial: Record<string, unknown> = { ...example }
      delete partial[key]
      expect(validate(partial)).toBe(false)
    }
    expect(validate({ ...example, http_status_code: '400' })).toBe(false)
  })

  it('every emulator error body validates and carries the right status', () => {
    const validate = ajv.compile(RestExceptionResponseSchema)
    for (const [code, def] of Object.entries(EXTOLE_ERRORS)) {
      const body = extoleError(code as keyof typeof EXTOLE_ERRORS)
      expect(validate(body)).toBe(true)
      expect(body).toMatchObject({ code, http_status_code: def.status, message: def.message, parameters: {} })
      expect(body.unique_id).toMatch(UUID)
    }
    expect(extoleError('binding_error', 'custom').message).toBe('custom')
  })

  it('keeps the spec texts of the errors the destination relies on', () => {
    expect(EXTOLE_ERRORS.missing_access_token).toEqual({
      status: 403,
      message: 'No access_token was provided with this request.'
    })
    expect(EXTOLE_ERRORS.method_unauthorized).toEqual({ status: 401, message: 'Unauthorized access to this endpoint' })
    expect(EXTOLE_ERRORS.invalid_event_time_format.message).toBe('Invalid event time format. Expected: ISO8601 format')
    expect(EXTOLE_ERRORS.too_many_requests.status).toBe(429)
  })

  it('EventDispatcherRequest requires a non-empty event_name and an object-or-null data map', () => {
    const validate = ajv.compile(EventDispatcherRequestSchema)
    expect(validate({ event_name: 'conversion' })).toBe(true)
    expect(validate({ event_name: 'c', event_time: '2024-01-15T12:00:00Z', data: { email: 'a@b.co', x: 1 } })).toBe(
      true
    )
    expect(validate({ event_name: 'c', data: null })).toBe(true)
    expect(validate({ event_name: '' })).toBe(false)
    expect(validate({ data: {} })).toBe(false)
    expect(validate({ event_name: 'c', event_time: 'yesterday' })).toBe(false)
    expect(validate({ event_name: 'c', data: [] })).toBe(false)
    expect(validate({ event_name: 'c', data: { email: 'not-an-email' } })).toBe(false)
  })

  it('EventSubmissionData is an open, nullable map', () => {
    const validate = ajv.compile(EventSubmissionDataSchema)
    expect(validate(null)).toBe(true)
    expect(validate({ anything: [1, { a: true }], partner_user_id: 'u' })).toBe(true)
    expect(validate({ person_id: '123' })).toBe(false)
    expect(validate({ partner_user_id: 5 })).toBe(false)
  })

  it('response schemas', () => {
    expect(ajv.compile(EventDispatcherResponseSchema)({ event_id: '1' })).toBe(false)
    expect(ajv.compile(EventDispatcherResponseSchema)({ event_id: '1', person_id: '2' })).toBe(true)
    expect(ajv.compile(EventDispatcherAsyncResponseSchema)({ event_id: 1 })).toBe(false)
    const token = ajv.compile(AccessTokenResponseSchema)
    expect(token({ scopes: ['BACKEND'], type: 'MANAGED', expires_in: 10 })).toBe(true)
    expect(token({ scopes: ['ROOT'] })).toBe(false)
    expect(token({ scopes: ['BACKEND', 'BACKEND'] })).toBe(false)
  })

  it('erasure schemas', () => {
    const request = ajv.compile(ErasureRequestSchema)
    expect(request({ email: 'a@example.com' })).toBe(true)
    expect(request({ partner_user_id: 'u', note: 'n' })).toBe(true)
    expect(request({ note: 'n' })).toBe(false)
    expect(request({ partner_user_id: '' })).toBe(false)
    const response = ajv.compile(ErasureResponseSchema)
    expect(response({ status: 'PENDING', note: null, created_date: '2024-01-01T00:00:00.000Z' })).toBe(true)
    expect(response({ status: 'DONE', note: null, created_date: '2024-01-01T00:00:00.000Z' })).toBe(false)
    expect(response({ status: 'COMPLETED', created_date: '2024-01-01T00:00:00.000Z' })).toBe(false)
  })
})
