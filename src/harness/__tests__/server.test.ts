import { startRig, raw, settings, TEST_KEY, TIMESTAMP, type Rig } from './helpers'
import type { Manifest } from '../manifest'
import type { HarnessResult } from '../run-action'

const JOHN = {
  type: 'identify',
  userId: 'userId123',
  traits: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', age: 25, existingCustomer: true },
  timestamp: TIMESTAMP
}

let rig: Rig
beforeAll(async () => {
  rig = await startRig({ blockedEventNames: ['blocked_event'] })
})
afterAll(() => rig.stop())
beforeEach(() => {
  rig.emulator.reset()
  rig.emulator.setFaults({})
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(`${rig.harness.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })

describe('GET /manifest', () => {
  it('summarizes the destination: actions with fields, presets and settings', async () => {
    const response = await raw(`${rig.harness.url}/manifest`)
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toMatch(/application\/json/)
    const manifest = JSON.parse(response.text) as Manifest
    expect(manifest).toMatchObject({ name: 'Extole', slug: 'actions-extole', mode: 'cloud', supportsDelete: true })
    expect(manifest.actions.map((action) => [action.key, action.title])).toEqual([
      ['identify', 'Identify'],
      ['track', 'Track']
    ])
    const track = manifest.actions.find((action) => action.key === 'track')!
    expect(track.supportsBatch).toBe(true)
    expect(track.fields.event_name).toEqual(
      expect.objectContaining({ label: 'Event Name', type: 'string', required: true, default: { '@path': '$.event' } })
    )
    expect(track.fields.email.required).toBe(false)
    expect(manifest.settings.apiKey).toEqual(
      expect.objectContaining({ label: 'API Key', type: 'password', required: true })
    )
    expect(manifest.presets.map((preset) => (preset as { name: string }).name)).toEqual([
      'Identify Calls',
      'Track Calls',
      'Signed Up',
      'Order Completed'
    ])
  })
})

describe('POST /authenticate', () => {
  it('answers ok for a key Extole accepts, without repeating the key Extole echoes back', async () => {
    const response = await post('/authenticate', { settings })
    const body = JSON.parse(response.text) as HarnessResult
    expect(response.status).toBe(200)
    expect(body.ok).toBe(true)
    expect(body.error).toBeUndefined()
    expect(body.exchanges).toHaveLength(1)
    expect(body.exchanges[0].request).toMatchObject({ method: 'GET', url: `${rig.emulator.url}/v4/tokens` })
    expect(body.exchanges[0].request.headers.authorization).toBe('<redacted>')
    // The emulator, like Extole, answers GET /v4/tokens with the token itself.
    expect(body.exchanges[0].response).toEqual({
      statusCode: 200,
      body: expect.objectContaining({ access_token: '<redacted>' })
    })
    expect(response.text).not.toContain(TEST_KEY)
  })

  it('answers ok: false with the reason for a key Extole refuses', async () => {
    const badKey = 'wrong-secret-key-77aa1c'
    const response = await post('/authenticate', { settings: { apiKey: badKey } })
    const body = JSON.parse(response.text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.error?.message).toMatch(/Credentials are invalid.*HTTP 401/)
    expect(body.exchanges[0].response?.statusCode).toBe(401)
    expect(response.text).not.toContain(badKey)
  })

  it('refuses settings without an apiKey before calling Extole', async () => {
    const body = JSON.parse((await post('/authenticate', { settings: {} })).text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.exchanges).toEqual([])
    expect(body.error?.message).toMatch(/apiKey/)
  })
})

describe('POST /<action> (single event)', () => {
  it('runs identify: one POST /v6/events with the mapped body, and the profile appears in the emulator', async () => {
    const response = await post('/identify', { payload: JOHN, settings })
    const body = JSON.parse(response.text) as HarnessResult
    expect(response.status).toBe(200)
    expect(body.ok).toBe(true)
    expect(body.exchanges).toHaveLength(1)
    const [exchange] = body.exchanges
    expect(exchange.request.url).toBe(`${rig.emulator.url}/v6/events`)
    expect(exchange.request.method).toBe('POST')
    expect(exchange.request.headers).toMatchObject({ authorization: '<redacted>', 'content-type': 'application/json' })
    expect(exchange.request.body).toEqual({
      event_name: 'identify',
      event_time: TIMESTAMP,
      data: {
        partner_user_id: 'userId123',
        email: 'john.doe@example.com',
        first_name: 'John',
        last_name: 'Doe',
        age: 25,
        existingCustomer: true
      }
    })
    expect(exchange.response).toEqual({
      statusCode: 200,
      body: { event_id: expect.any(String), person_id: expect.any(String) }
    })
    expect(body.result).toEqual(expect.arrayContaining([expect.objectContaining({ output: 'Action Executed' })]))

    const [person] = rig.emulator.state().persons
    expect(person).toMatchObject({
      email: 'john.doe@example.com',
      partner_user_id: 'userId123',
      first_name: 'John',
      last_name: 'Doe',
      parameters: { age: { value: 25, visibility: 'PUBLIC' }, existingCustomer: { value: true, visibility: 'PUBLIC' } }
    })
    expect(response.text).not.toContain(TEST_KEY)
  })

  it('runs track with the default mapping (the seed conversion)', async () => {
    const payload = {
      type: 'track',
      userId: 'userId123',
      event: 'conversion',
      properties: {
        email: 'john.doe@example.com',
        first_name: 'John',
        last_name: 'Doe',
        partner_conversion_id: 'purchaseId123',
        cart_value: '99.99'
      },
      timestamp: TIMESTAMP
    }
    const body = JSON.parse((await post('/track', { payload, settings })).text) as HarnessResult
    expect(body.ok).toBe(true)
    expect(body.exchanges[0].request.body).toEqual({
      event_name: 'conversion',
      event_time: TIMESTAMP,
      data: {
        partner_user_id: 'userId123',
        email: 'john.doe@example.com',
        first_name: 'John',
        last_name: 'Doe',
        partner_conversion_id: 'purchaseId123',
        cart_value: '99.99'
      }
    })
    expect(rig.emulator.state().events.map((event) => event.event_name)).toEqual(['conversion'])
  })

  it('uses a posted mapping as is', async () => {
    const mapping = { event_name: 'registration', partner_user_id: { '@path': '$.userId' } }
    const payload = { type: 'track', userId: 'u-map', event: 'Signed Up', properties: { email: 'x@example.com' } }
    const body = JSON.parse((await post('/track', { payload, settings, mapping })).text) as HarnessResult
    expect(body.ok).toBe(true)
    expect(body.exchanges[0].request.body).toMatchObject({
      event_name: 'registration',
      data: { partner_user_id: 'u-map' }
    })
    expect(body.exchanges[0].request.body).not.toHaveProperty('data.email')
  })

  it('reports our own refusal (no identity) with no request made', async () => {
    const payload = { type: 'track', anonymousId: 'anon-1', event: 'Clicked', properties: {} }
    const body = JSON.parse((await post('/track', { payload, settings })).text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.exchanges).toEqual([])
    expect(body.error).toMatchObject({ name: 'PayloadValidationError', status: 400, code: 'PAYLOAD_VALIDATION_FAILED' })
  })

  it("reports Extole's refusal with the exchange that carried it", async () => {
    const payload = { type: 'track', userId: 'u1', event: 'blocked_event', properties: {} }
    const body = JSON.parse((await post('/track', { payload, settings })).text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.exchanges[0].response).toMatchObject({ statusCode: 400, body: { code: 'event_blocked' } })
    expect(body.error).toMatchObject({ name: 'IntegrationError', status: 400, code: 'event_blocked' })
  })

  it('records a request that got no response (connection dropped) with response null and an error', async () => {
    rig.emulator.setFaults({ dropRate: 1 })
    const body = JSON.parse((await post('/identify', { payload: JOHN, settings })).text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.exchanges).toHaveLength(1)
    expect(body.exchanges[0].request).toMatchObject({ method: 'POST', url: `${rig.emulator.url}/v6/events` })
    expect(body.exchanges[0].request.headers.authorization).toBe('<redacted>')
    expect(body.exchanges[0].response).toBeNull()
    expect(body.exchanges[0].error).toEqual(expect.any(String))
    expect(body.error).toMatchObject({ name: 'RetryableError' })
  })

  it('keeps every call’s exchanges to itself, even when calls overlap', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const results = await Promise.all(
      ids.map((id) => rig.client.action('identify', { type: 'identify', userId: `user-${id}`, traits: {} }, settings))
    )
    results.forEach((result, index) => {
      expect(result.exchanges).toHaveLength(1)
      expect(result.exchanges[0].request.body).toMatchObject({ data: { partner_user_id: `user-${ids[index]}` } })
    })
  })
})

describe('POST /<action> (batch)', () => {
  it('runs the batch path on a payload array and answers one status per index', async () => {
    const payload = [
      { type: 'track', userId: 'u1', event: 'Clicked', properties: {}, timestamp: TIMESTAMP },
      { type: 'track', anonymousId: 'anon', event: 'Clicked', properties: {} },
      { type: 'track', userId: 'u2', event: 'blocked_event', properties: {} },
      { type: 'track', userId: 'u3', properties: {} }
    ]
    const body = JSON.parse((await post('/track', { payload, settings })).text) as HarnessResult
    expect(body.ok).toBe(false)
    expect(body.multistatus).toHaveLength(4)
    expect(body.multistatus!.map((node) => (node as { status: number }).status)).toEqual([200, 400, 400, 400])
    expect(body.multistatus![1]).toMatchObject({ errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(body.multistatus![2]).toMatchObject({ body: { code: 'event_blocked' } })
    expect(body.multistatus![3]).toMatchObject({ errormessage: expect.stringMatching(/event_name/) })
    // Only the two events that passed our checks were sent, both to the high-volume endpoint.
    expect(body.exchanges.map((exchange) => exchange.request.url).sort()).toEqual([
      `${rig.emulator.url}/v6/async-events`,
      `${rig.emulator.url}/v6/async-events`
    ])
    expect(rig.emulator.state().events.map((event) => event.data?.partner_user_id)).toEqual(['u1'])
  })

  it('is ok when every event is delivered', async () => {
    const payload = [1, 2, 3].map((n) => ({
      type: 'identify',
      userId: `b${n}`,
      traits: { email: `b${n}@example.com` }
    }))
    const body = JSON.parse((await post('/identify', { payload, settings })).text) as HarnessResult
    expect(body.ok).toBe(true)
    expect(body.multistatus).toHaveLength(3)
    expect(rig.emulator.state().persons).toHaveLength(3)
  })
})

describe('POST /delete', () => {
  it('sends an erasure for the userId and the person is gone from the emulator', async () => {
    await rig.client.action(
      'identify',
      { type: 'identify', userId: '056tf9eqw24', traits: { email: 'j@example.com' } },
      settings
    )
    const response = await post('/delete', { payload: { userId: '056tf9eqw24' }, settings })
    const body = JSON.parse(response.text) as HarnessResult
    expect(body.ok).toBe(true)
    expect(body.exchanges).toHaveLength(1)
    expect(body.exchanges[0].request).toMatchObject({
      method: 'POST',
      url: `${rig.emulator.url}/v4/erasures`,
      headers: { authorization: '<redacted>' },
      body: { partner_user_id: '056tf9eqw24', note: expect.any(String) }
    })
    expect(body.result).toMatchObject({ status: 'PENDING' })
    const state = rig.emulator.state()
    expect(state.persons).toEqual([])
    expect(state.erasures).toEqual([expect.objectContaining({ partner_user_id: '056tf9eqw24', persons_erased: 1 })])
  })

  it('refuses a deletion without a userId, with no request made', async () => {
    const body = JSON.parse((await post('/delete', { payload: { anonymousId: 'a1' }, settings })).text) as HarnessResult
    expect(body).toMatchObject({ ok: false, exchanges: [], error: { name: 'PayloadValidationError' } })
  })
})

describe('credential redaction', () => {
  it('never repeats the key: not in headers, bodies, results or error messages', async () => {
    const echo = { type: 'identify', userId: 'leaky', traits: { note: `my key is ${TEST_KEY}`, [TEST_KEY]: 1 } }
    const cases = [
      await post('/authenticate', { settings }),
      await post('/identify', { payload: JOHN, settings }),
      await post('/identify', { payload: echo, settings }),
      await post('/track', { payload: [{ type: 'track', userId: 'x', event: `e-${TEST_KEY}` }], settings }),
      await post('/track', { payload: { type: 'track', userId: 'x' }, settings }),
      await post('/delete', { payload: { userId: 'nobody' }, settings })
    ]
    for (const response of cases) {
      expect(response.status).toBe(200)
      expect(response.text).not.toContain(TEST_KEY)
      const body = JSON.parse(response.text) as HarnessResult
      for (const exchange of body.exchanges) expect(exchange.request.headers.authorization).toBe('<redacted>')
    }
    // The echoed trait and the trait named after the key were both sent, and both scrubbed from the answer.
    const echoed = JSON.parse(cases[2].text) as HarnessResult
    expect(echoed.exchanges[0].request.body).toMatchObject({
      data: { note: 'my key is <redacted>', '<redacted>': 1 }
    })
  })

  it('redacts the key in error cases too (refused key, dropped connection, bad email)', async () => {
    const badKey = 'other-secret-key-9c1b2a'
    const refused = await post('/identify', { payload: JOHN, settings: { apiKey: badKey } })
    expect(refused.text).not.toContain(badKey)
    expect(JSON.parse(refused.text)).toMatchObject({ ok: false, error: { name: 'InvalidAuthenticationError' } })

    // A numeric key is coerced to a string by the settings schema and sent: it is scrubbed as well.
    const numeric = await post('/identify', {
      payload: { ...JOHN, traits: { n: 'x 987654321 x' } },
      settings: { apiKey: 987654321 }
    })
    expect(numeric.text).not.toContain('987654321')

    const bad = await post('/identify', { payload: { ...JOHN, traits: { email: `${TEST_KEY}@@` } }, settings })
    expect(bad.text).not.toContain(TEST_KEY)

    rig.emulator.setFaults({ dropRate: 1 })
    const dropped = await post('/track', { payload: { type: 'track', userId: 'x', event: TEST_KEY }, settings })
    expect(JSON.parse(dropped.text).ok).toBe(false)
    expect(dropped.text).not.toContain(TEST_KEY)
  })
})

describe('CORS', () => {
  it.each(['https://app.segment.com', 'https://app.segment.build', 'http://localhost:8080', 'http://127.0.0.1:5173'])(
    'admits %s',
    async (origin) => {
      const response = await raw(`${rig.harness.url}/manifest`, { headers: { origin } })
      expect(response.status).toBe(200)
      expect(response.headers['access-control-allow-origin']).toBe(origin)
    }
  )

  it('answers a preflight from the Actions Tester', async () => {
    const response = await raw(`${rig.harness.url}/track`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.segment.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
        'access-control-request-private-network': 'true'
      }
    })
    expect(response.status).toBe(204)
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.segment.com',
      'access-control-allow-methods': expect.stringContaining('POST'),
      'access-control-allow-headers': expect.stringContaining('content-type'),
      'access-control-allow-private-network': 'true'
    })
  })

  it.each(['https://evil.example.com', 'https://app.segment.com.evil.io', 'http://localhost.evil.io'])(
    'gives %s no CORS headers and does not run anything',
    async (origin) => {
      const preflight = await raw(`${rig.harness.url}/track`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' }
      })
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
      const response = await post('/identify', { payload: JOHN, settings }, { origin })
      expect(response.status).toBe(403)
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
      expect(rig.emulator.state().events).toEqual([])
    }
  )
})

describe('bad harness requests', () => {
  it('answers 400 to a malformed JSON body, without quoting it', async () => {
    const response = await raw(`${rig.harness.url}/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"settings":{"apiKey":"${TEST_KEY}"},`
    })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.text)).toEqual({ ok: false, error: expect.stringMatching(/malformed JSON/) })
    expect(response.text).not.toContain(TEST_KEY)
  })

  it.each([
    ['a JSON array body', '[]'],
    ['no payload', '{"settings":{}}'],
    ['an empty batch', '{"payload":[],"settings":{}}'],
    ['a payload that is a string', '{"payload":"hello","settings":{}}']
  ])('answers 400 to %s', async (_label, text) => {
    const response = await raw(`${rig.harness.url}/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text
    })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.text).ok).toBe(false)
  })

  it('answers 415 to a body that is not declared as JSON', async () => {
    const response = await raw(`${rig.harness.url}/track`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(415)
  })

  it('answers 404 to an unknown action and 405 to a wrong method', async () => {
    expect((await post('/page', { payload: {}, settings })).status).toBe(404)
    expect((await post('/__proto__', { payload: {}, settings })).status).toBe(404)
    expect((await raw(`${rig.harness.url}/track`)).status).toBe(405)
    expect((await post('/manifest', {})).status).toBe(405)
  })
})
