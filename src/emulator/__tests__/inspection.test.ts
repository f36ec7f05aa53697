import { startEmulator, type Emulator } from '..'
import { call, expectExtoleError, postEvent } from './helpers'

describe('emulator inspection and control routes', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator({ apiKeys: ['k'] })
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('GET /__emulator/state needs no auth and mirrors state()', async () => {
    const ev = await postEvent(
      emu,
      { event_name: 'identify', data: { email: 'i@example.com', plan: 'pro' } },
      { key: 'k' }
    )
    await call(emu, 'POST', '/v4/erasures', { key: 'k', json: { email: 'other@example.com' } })
    const res = await call(emu, 'GET', '/__emulator/state', { key: null })
    expect(res.status).toBe(200)
    expect(res.body).toEqual(JSON.parse(JSON.stringify(emu.state())))
    expect(res.body.persons).toEqual([
      {
        person_id: ev.body.person_id,
        email: 'i@example.com',
        partner_user_id: null,
        first_name: null,
        last_name: null,
        parameters: { plan: { value: 'pro', visibility: 'PUBLIC' } },
        created_at: expect.any(String),
        updated_at: expect.any(String),
        events: [expect.objectContaining({ event_id: ev.body.event_id, event_name: 'identify' })]
      }
    ])
    expect(res.body.events).toHaveLength(1)
    expect(res.body.erasures).toHaveLength(1)
    expect(res.body.requests).toMatchObject({
      total: 2,
      byRoute: { 'POST /v6/events': 1, 'POST /v4/erasures': 1 },
      faults: { '429': 0, '503': 0, '5xx': 0, html: 0, drop: 0, 'drop-after': 0, slow: 0 }
    })
    expect(res.body.requests.log[0]).toEqual({
      seq: 1,
      at: expect.any(String),
      method: 'POST',
      path: '/v6/events',
      route: 'POST /v6/events',
      status: 200,
      fault: null,
      delay_ms: 0,
      event_id: ev.body.event_id,
      recorded: true,
      duplicate: false
    })
    expect(res.body.faults).toEqual({})
  })

  it('state() returns a copy that callers cannot use to mutate the emulator', async () => {
    await postEvent(emu, { event_name: 'x', data: { email: 'c@example.com' } }, { key: 'k' })
    const copy = emu.state()
    copy.persons[0].email = 'hacked'
    copy.events.pop()
    expect(emu.state().persons[0].email).toBe('c@example.com')
    expect(emu.state().events).toHaveLength(1)
  })

  it('POST /__emulator/reset clears persons, events, erasures and request stats', async () => {
    await postEvent(emu, { event_name: 'x', data: { email: 'r@example.com' } }, { key: 'k' })
    const res = await call(emu, 'POST', '/__emulator/reset', { key: null })
    expect(res.status).toBe(200)
    const state = emu.state()
    expect([state.persons, state.events, state.erasures, state.requests.total]).toEqual([[], [], [], 0])
    // ids are not reused after a reset
    const next = await postEvent(emu, { event_name: 'x' }, { key: 'k' })
    expect(next.body.event_id).not.toBe('8000000000000000001')
  })

  it('GET/POST /__emulator/faults reads and replaces the fault options', async () => {
    expect((await call(emu, 'GET', '/__emulator/faults', { key: null })).body).toEqual({})
    const set = await call(emu, 'POST', '/__emulator/faults', { key: null, json: { faultRate429: 1 } })
    expect(set.body).toEqual({ faultRate429: 1 })
    expectExtoleError(await postEvent(emu, { event_name: 'x' }, { key: 'k' }), 429, 'too_many_requests')
    await call(emu, 'POST', '/__emulator/faults', { key: null, json: {} })
    expect((await postEvent(emu, { event_name: 'x' }, { key: 'k' })).status).toBe(200)
    expect(emu.state().faults).toEqual({})
  })

  it('rejects invalid fault options with a binding_error', async () => {
    for (const json of [
      { faultRate503: 2 },
      { dropRate: -0.1 },
      { faultRate429: 0.6, faultRate503: 0.6 },
      { typo: 1 }
    ]) {
      const res = await call(emu, 'POST', '/__emulator/faults', { key: null, json })
      expectExtoleError(res, 400, 'binding_error')
    }
    expectExtoleError(await call(emu, 'POST', '/__emulator/faults', { key: null, rawBody: '{' }), 400, 'invalid_json')
    expectExtoleError(await call(emu, 'POST', '/__emulator/faults', { key: null, json: [1] }), 400, 'binding_error')
    expect(() => emu.setFaults({ latencyMs: -1 })).toThrow(TypeError)
    expect(emu.state().faults).toEqual({})
  })

  it('unknown control routes are 404 and wrong methods 405', async () => {
    expectExtoleError(await call(emu, 'GET', '/__emulator/nope', { key: null }), 404, 'not_found')
    expectExtoleError(await call(emu, 'POST', '/__emulator/state', { key: null, json: {} }), 405, 'method_not_allowed')
    expectExtoleError(await call(emu, 'GET', '/__emulator/reset', { key: null }), 405, 'method_not_allowed')
    expect(emu.state().requests.total).toBe(0)
  })

  it('instances do not share state', async () => {
    const other = await startEmulator({ apiKeys: ['k'] })
    try {
      await postEvent(other, { event_name: 'x' }, { key: 'k' })
      expect(other.state().events).toHaveLength(1)
      expect(emu.state().events).toHaveLength(0)
      expect(other.port).not.toBe(emu.port)
    } finally {
      await other.stop()
    }
  })
})
