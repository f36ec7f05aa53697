import { AccessTokenResponseSchema, DEMO_API_KEY, startEmulator, type Emulator } from '..'
import { ajv, call, expectExtoleError } from './helpers'

const validateToken = ajv.compile(AccessTokenResponseSchema)
const SECRET = 'sk-live-very-secret-key'

describe('emulator auth, tokens and routing', () => {
  let emu: Emulator
  const lines: string[] = []
  beforeAll(async () => {
    emu = await startEmulator({ apiKeys: [SECRET, 'second-key'], clientId: 'client-7', log: (l) => lines.push(l) })
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('GET /v4/tokens answers token metadata for a valid key', async () => {
    const res = await call(emu, 'GET', '/v4/tokens', { key: SECRET })
    expect(res.status).toBe(200)
    expect(validateToken(res.body)).toBe(true)
    expect(res.body).toEqual({
      access_token: SECRET,
      client_id: 'client-7',
      identity_id: expect.stringMatching(/^\d+$/),
      expires_in: 31536000,
      scopes: ['BACKEND'],
      type: 'MANAGED'
    })
    const other = await call(emu, 'GET', '/v4/tokens', { key: 'second-key' })
    expect(other.body.identity_id).not.toBe(res.body.identity_id)
  })

  it('the demo key is only accepted when apiKeys is not given', async () => {
    expectExtoleError(await call(emu, 'GET', '/v4/tokens', { key: DEMO_API_KEY }), 401, 'method_unauthorized')
    const demo = await startEmulator()
    try {
      expect((await call(demo, 'GET', '/v4/tokens')).body.access_token).toBe(DEMO_API_KEY)
    } finally {
      await demo.stop()
    }
  })

  const protectedRoutes: Array<[string, string]> = [
    ['GET', '/v4/tokens'],
    ['POST', '/v6/events'],
    ['POST', '/v6/events/conversion'],
    ['POST', '/v6/async-events'],
    ['POST', '/v6/async-events/conversion'],
    ['POST', '/v4/erasures']
  ]

  it.each(protectedRoutes)('%s %s: 403 missing_access_token without Authorization', async (method, path) => {
    const json = method === 'POST' ? { event_name: 'x', email: 'a@example.com' } : undefined
    expectExtoleError(await call(emu, method, path, { key: null, json }), 403, 'missing_access_token')
    expectExtoleError(await call(emu, method, path, { key: '', json }), 403, 'missing_access_token')
  })

  it.each(protectedRoutes)('%s %s: 401 method_unauthorized for an unknown key', async (method, path) => {
    const json = method === 'POST' ? { event_name: 'x', email: 'a@example.com' } : undefined
    expectExtoleError(await call(emu, method, path, { key: 'wrong-key', json }), 401, 'method_unauthorized')
    expect(emu.state().events).toHaveLength(0)
  })

  it('rejects non-Bearer schemes and keys that only differ in case or padding', async () => {
    const basic = await call(emu, 'GET', '/v4/tokens', { key: null, headers: { authorization: `Basic ${SECRET}` } })
    expectExtoleError(basic, 401, 'method_unauthorized')
    expectExtoleError(await call(emu, 'GET', '/v4/tokens', { key: SECRET.toUpperCase() }), 401, 'method_unauthorized')
    expectExtoleError(await call(emu, 'GET', '/v4/tokens', { key: SECRET + 'x' }), 401, 'method_unauthorized')
    const lowerScheme = await call(emu, 'GET', '/v4/tokens', {
      key: null,
      headers: { authorization: `bearer ${SECRET}` }
    })
    expect(lowerScheme.status).toBe(200)
  })

  it('never echoes a key in error bodies, the request log or log lines', async () => {
    const sent = ['wrong-key-123', SECRET]
    await call(emu, 'GET', '/v4/tokens?access_token=wrong-key-123', { key: 'wrong-key-123' })
    await call(emu, 'POST', '/v6/events', { key: SECRET, json: {} })
    await call(emu, 'POST', '/v6/nope', { key: SECRET, json: {} })
    const results = [
      await call(emu, 'GET', '/v4/tokens', { key: 'wrong-key-123' }),
      await call(emu, 'POST', '/v6/events', { key: SECRET, json: {} })
    ]
    const haystack = JSON.stringify([results.map((r) => r.text), emu.state(), lines])
    for (const key of sent) expect(haystack).not.toContain(key)
    expect(emu.state().requests.log[0].path).toBe('/v4/tokens')
  })

  it('404 not_found for unknown routes, 405 for wrong methods (Extole shape)', async () => {
    expectExtoleError(await call(emu, 'GET', '/v6/nothing', { key: SECRET }), 404, 'not_found')
    expectExtoleError(await call(emu, 'POST', '/v6/events/a/b', { key: SECRET, json: {} }), 404, 'not_found')
    expectExtoleError(await call(emu, 'GET', '/', { key: null }), 404, 'not_found')
    const wrong = await call(emu, 'GET', '/v6/events', { key: SECRET })
    expectExtoleError(wrong, 405, 'method_not_allowed')
    expect(wrong.headers.get('allow')).toBe('POST')
    expectExtoleError(await call(emu, 'DELETE', '/v4/tokens', { key: SECRET }), 405, 'method_not_allowed')
    expectExtoleError(await call(emu, 'PUT', '/v4/erasures', { key: SECRET, json: {} }), 405, 'method_not_allowed')
  })

  it('400 binding_error for a malformed percent-encoding in the event name', async () => {
    expectExtoleError(await call(emu, 'POST', '/v6/events/%E0%A4%A', { key: SECRET, json: {} }), 400, 'binding_error')
  })

  it('413 request_too_large past maxBodyBytes', async () => {
    const small = await startEmulator({ maxBodyBytes: 100 })
    try {
      const big = { event_name: 'x', data: { blob: 'y'.repeat(500) } }
      expectExtoleError(await call(small, 'POST', '/v6/events', { json: big }), 413, 'request_too_large')
      expect(small.state().events).toHaveLength(0)
    } finally {
      await small.stop()
    }
  })

  it('counts API requests by route template', async () => {
    await call(emu, 'GET', '/v4/tokens', { key: SECRET })
    await call(emu, 'POST', '/v6/events/a', { key: SECRET, json: {} })
    await call(emu, 'POST', '/v6/events/b', { key: SECRET, json: {} })
    await call(emu, 'GET', '/elsewhere', { key: SECRET })
    await call(emu, 'GET', '/__emulator/state', { key: null })
    const { requests } = emu.state()
    expect(requests.total).toBe(4)
    expect(requests.byRoute).toEqual({
      'GET /v4/tokens': 1,
      'POST /v6/events/{event_name}': 2,
      unmatched: 1
    })
    expect(requests.log.map((e) => e.status)).toEqual([200, 200, 200, 404])
  })
})
