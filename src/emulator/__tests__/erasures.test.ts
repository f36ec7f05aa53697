import { ErasureResponseSchema, startEmulator, type Emulator } from '..'
import { ajv, call, expectExtoleError, postEvent } from './helpers'

const validateErasure = ajv.compile(ErasureResponseSchema)

describe('emulator POST /v4/erasures', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator()
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  async function seed(): Promise<{ ann: string; bob: string }> {
    const ann = await postEvent(emu, {
      event_name: 'registration',
      data: { email: 'Ann@example.com', partner_user_id: 'u-ann' }
    })
    await postEvent(emu, { event_name: 'conversion', data: { email: 'ann@example.com', partner_conversion_id: 'c-1' } })
    const bob = await postEvent(emu, {
      event_name: 'registration',
      data: { email: 'bob@example.com', partner_user_id: 'u-bob' }
    })
    return { ann: ann.body.person_id, bob: bob.body.person_id }
  }

  it('erases the person matched by email (case-insensitive) and their events', async () => {
    const { ann, bob } = await seed()
    const res = await call(emu, 'POST', '/v4/erasures', { json: { email: 'ANN@example.com', note: 'GDPR ticket 7' } })
    expect(res.status).toBe(200)
    expect(validateErasure(res.body)).toBe(true)
    expect(res.body).toEqual({ status: 'PENDING', note: 'GDPR ticket 7', created_date: expect.any(String) })
    expect(Date.parse(res.body.created_date)).not.toBeNaN()

    const state = emu.state()
    expect(state.persons.map((p) => p.person_id)).toEqual([bob])
    expect(state.events.every((e) => e.person_id === bob)).toBe(true)
    expect(state.events).toHaveLength(1)
    expect(state.erasures).toEqual([
      expect.objectContaining({
        email: 'ANN@example.com',
        partner_user_id: null,
        note: 'GDPR ticket 7',
        person_ids: [ann],
        persons_erased: 1,
        events_erased: 2
      })
    ])
  })

  it('erases by partner_user_id, and the same ids can be used again afterwards (dedupe keys dropped)', async () => {
    const { ann } = await seed()
    const res = await call(emu, 'POST', '/v4/erasures', { json: { partner_user_id: 'u-ann' } })
    expect(res.body.note).toBeNull()
    expect(emu.state().persons).toHaveLength(1)
    const again = await postEvent(emu, { event_name: 'registration', data: { partner_user_id: 'u-ann' } })
    const conv = await postEvent(emu, { event_name: 'conversion', data: { partner_conversion_id: 'c-1' } })
    expect(again.body.person_id).not.toBe(ann)
    expect(emu.state().events.map((e) => e.event_id)).toEqual(
      expect.arrayContaining([again.body.event_id, conv.body.event_id])
    )
  })

  it('erases every person matching either identity', async () => {
    await seed()
    await call(emu, 'POST', '/v4/erasures', { json: { email: 'ann@example.com', partner_user_id: 'u-bob' } })
    const state = emu.state()
    expect(state.persons).toEqual([])
    expect(state.events).toEqual([])
    expect(state.erasures[0]).toMatchObject({ persons_erased: 2, events_erased: 3 })
  })

  it('answers 200 for an unknown person but records zero persons erased', async () => {
    await seed()
    const res = await call(emu, 'POST', '/v4/erasures', { json: { email: 'nobody@example.com' } })
    const known = await call(emu, 'POST', '/v4/erasures', { json: { email: 'bob@example.com' } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(known.body).sort())
    expect(res.body.status).toBe(known.body.status)
    expect(emu.state().erasures.map((e) => e.persons_erased)).toEqual([0, 1])
  })

  it('uses the configured status', async () => {
    const completed = await startEmulator({ erasureStatus: 'COMPLETED' })
    try {
      const res = await call(completed, 'POST', '/v4/erasures', { json: { email: 'a@example.com' } })
      expect(res.body.status).toBe('COMPLETED')
    } finally {
      await completed.stop()
    }
  })

  it.each([[{}], [{ note: 'x' }], [{ email: '', partner_user_id: '  ' }], [{ email: null, partner_user_id: null }]])(
    '400 empty_request for %j',
    async (body) => {
      const res = await call(emu, 'POST', '/v4/erasures', { json: body })
      expectExtoleError(res, 400, 'empty_request')
      expect(res.body.message).toBe('Either email or partner_user_id is required')
    }
  )

  it('validates media type, body and field types', async () => {
    await seed()
    const path = '/v4/erasures'
    expectExtoleError(
      await call(emu, 'POST', path, { rawBody: '{}', contentType: 'text/plain' }),
      415,
      'unsupported_media_type'
    )
    expectExtoleError(await call(emu, 'POST', path, { rawBody: '' }), 400, 'missing_request_body')
    expectExtoleError(await call(emu, 'POST', path, { rawBody: '{' }), 400, 'invalid_json')
    expectExtoleError(await call(emu, 'POST', path, { json: ['a@example.com'] }), 400, 'binding_error')
    expectExtoleError(await call(emu, 'POST', path, { json: { email: ['ann@example.com'] } }), 400, 'binding_error')
    expectExtoleError(
      await call(emu, 'POST', path, { json: { email: 'ann@example.com', note: 5 } }),
      400,
      'binding_error'
    )
    expect(emu.state().persons).toHaveLength(2)
    expect(emu.state().erasures).toHaveLength(0)
  })
})
