import nock from 'nock'
import { createTestIntegration } from '@segment/actions-core'
import Definition, { createExtoleDestination } from '../index'
import { API, API_KEY, extoleError, settings } from './helpers'

const testDestination = createTestIntegration(Definition)
const tokens = () => nock(API).get('/v4/tokens').matchHeader('authorization', `Bearer ${API_KEY}`)

describe('Extole authentication', () => {
  it('accepts a key Extole knows, without returning the token metadata', async () => {
    tokens().reply(200, { access_token: API_KEY, client_id: 'c1', scopes: ['BACKEND'], type: 'MANAGED' })
    await expect(testDestination.testAuthentication(settings)).resolves.toBeUndefined()
  })

  it.each([
    [401, 'method_unauthorized'],
    [403, 'missing_access_token']
  ])('says Extole rejected the key on %i %s, with Extole’s code', async (status, code) => {
    tokens().reply(status, extoleError(code, status))
    await expect(testDestination.testAuthentication(settings)).rejects.toThrow(
      new RegExp(`Extole rejected the API key, HTTP ${status}: .*code ${code}`)
    )
  })

  it.each([429, 500, 503])('says Extole could not be reached on %i, which is no verdict on the key', async (status) => {
    tokens().reply(status, extoleError('too_many_requests', status))
    await expect(testDestination.testAuthentication(settings)).rejects.toThrow(
      /Extole could not be reached to check the API key, so the key was not judged/
    )
  })

  it('says Extole could not be reached on a timeout', async () => {
    const fast = createTestIntegration(createExtoleDestination({ timeoutMs: 50 }))
    tokens().delay(500).reply(200, {})
    await expect(fast.testAuthentication(settings)).rejects.toThrow(/could not be reached.*did not answer in time/)
  })

  it('never puts the key or the echoed token into the error', async () => {
    tokens().reply(401, { ...extoleError('method_unauthorized', 401), message: `bad token ${API_KEY}` })
    await expect(testDestination.testAuthentication(settings)).rejects.toThrow(/bad token <redacted>/)
  })

  it('requires the API key setting', async () => {
    await expect(testDestination.testAuthentication({} as never)).rejects.toThrow(/apiKey/)
  })
})
