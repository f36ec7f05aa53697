import nock from 'nock'
import {
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError
} from '@segment/actions-core'
import Definition, { createExtoleDestination } from '../index'
import { API_KEY, EVENTS, extoleError, settings, TIMESTAMP } from './helpers'

const testDestination = createTestIntegration(Definition)
const event = { type: 'identify' as const, userId: 'u1', traits: { email: 'a@example.com' }, timestamp: TIMESTAMP }
const send = (destination = testDestination) =>
  destination.testAction('identify', { event, settings, useDefaultMappings: true })
const extole = () => nock(EVENTS).post('/v6/events')

/** Asserts the thrown error is fresh: no request, headers or key anywhere on it. */
async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as Error & Record<string, unknown>
  )
  expect(error.request).toBeUndefined()
  expect(error.response).toBeUndefined()
  expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain(API_KEY)
  return error
}

describe('Extole error translation', () => {
  it.each([429, 500, 502, 503, 504])('hands HTTP %i back to Segment as retryable', async (status) => {
    extole().reply(status, extoleError('too_many_requests', status))
    const error = await caught(send())
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(status)
    expect(error.message).toMatch(`HTTP ${status}`)
    expect(error.message).toMatch('code too_many_requests, unique_id uid-too_many_requests')
  })

  it('treats 501 as final, not retryable', async () => {
    extole().reply(501, extoleError('not_implemented', 501))
    const error = await caught(send())
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).toMatchObject({ status: 501, code: 'not_implemented', retry: false })
  })

  it('retries a timeout', async () => {
    extole().delay(500).reply(200, {})
    const error = await caught(send(createTestIntegration(createExtoleDestination({ timeoutMs: 50 }))))
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(/did not answer in time/)
  })

  it('retries a connection reset', async () => {
    extole().replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
    const error = await caught(send())
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(/could not be reached \(ECONNRESET\)/)
  })

  it.each([
    [401, 'method_unauthorized'],
    [403, 'missing_access_token']
  ])('reports %i %s as invalid authentication', async (status, code) => {
    extole().reply(status, extoleError(code, status))
    const error = await caught(send())
    expect(error).toBeInstanceOf(InvalidAuthenticationError)
    expect(error.message).toMatch(`Extole rejected the API key, HTTP ${status}`)
    expect(error.message).toMatch(`code ${code}`)
  })

  it.each([
    [403, 'access_denied'],
    [402, 'payment_required']
  ])('reports %i %s as a final integration error with Extole’s code', async (status, code) => {
    extole().reply(status, extoleError(code, status))
    const error = await caught(send())
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).toMatchObject({ status, code, retry: false })
  })

  it('says Extole’s program rules blocked an event_blocked event, and does not retry it', async () => {
    extole().reply(400, extoleError('event_blocked', 400, 'Blocked due to client specific rules'))
    const error = await caught(send())
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).toMatchObject({ status: 400, code: 'event_blocked', retry: false })
    expect(error.message).toMatch(/program rules blocked this event/)
  })

  it.each([
    [400, 'invalid_event_time_format'],
    [400, 'missing_event_name'],
    [415, 'unsupported_media_type'],
    [404, 'not_found']
  ])('reports other %i %s as a final error carrying Extole’s code', async (status, code) => {
    extole().reply(status, extoleError(code, status))
    const error = await caught(send())
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(error).toMatchObject({ status, code, retry: false })
    expect(error.message).toMatch(`Extole refused the request, HTTP ${status}: message for ${code}`)
  })

  it('explains an HTML error page instead of JSON', async () => {
    extole().reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' })
    const error = await caught(send())
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toBe('Extole could not take the request now, HTTP 502: a non-JSON body (HTTP 502)')
  })

  it('reads an Extole error body sent without a JSON content type', async () => {
    extole().reply(400, JSON.stringify(extoleError('invalid_json', 400)), { 'content-type': 'text/plain' })
    const error = await caught(send())
    expect(error).toMatchObject({ code: 'invalid_json', status: 400 })
  })

  it('scrubs the key if Extole ever echoes it in a message', async () => {
    extole().reply(403, extoleError('access_denied', 403, `token ${API_KEY} may not do this`))
    const error = await caught(send())
    expect(error.message).toMatch('token <redacted> may not do this')
  })
})
