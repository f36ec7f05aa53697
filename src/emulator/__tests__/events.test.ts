import { EventDispatcherAsyncResponseSchema, EventDispatcherResponseSchema, startEmulator, type Emulator } from '..'
import { ajv, call, expectExtoleError, postEvent } from './helpers'

const validateSync = ajv.compile(EventDispatcherResponseSchema)
const validateAsync = ajv.compile(EventDispatcherAsyncResponseSchema)

describe('emulator event routes', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator({ blockedEventNames: ['spam'] })
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  describe('success', () => {
    it('POST /v6/events records the event and answers { event_id, person_id }', async () => {
      const res = await postEvent(emu, {
        event_name: 'signup',
        event_time: '2024-01-15T12:00:00Z',
        data: { email: 'Ann@Example.com', plan: 'gold' }
      })
      expect(res.status).toBe(200)
      expect(validateSync(res.body)).toBe(true)
      expect(Object.keys(res.body).sort()).toEqual(['event_id', 'person_id'])
      expect(res.body.person_id).toMatch(/^\d+$/)
      expect(res.body.event_id).toMatch(/^\d+$/)

      const state = emu.state()
      expect(state.events).toHaveLength(1)
      expect(state.events[0]).toMatchObject({
        event_id: res.body.event_id,
        person_id: res.body.person_id,
        event_name: 'signup',
        event_time: '2024-01-15T12:00:00Z',
        data: { email: 'Ann@Example.com', plan: 'gold' },
        async: false,
        acknowledged: true
      })
      expect(Date.parse(state.events[0].received_at)).not.toBeNaN()
      expect(state.persons).toEqual([
        expect.objectContaining({
          person_id: res.body.person_id,
          email: 'Ann@Example.com',
          partner_user_id: null,
          parameters: { plan: { value: 'gold', visibility: 'PUBLIC' } },
          events: [expect.objectContaining({ event_id: res.body.event_id })]
        })
      ])
    })

    it('POST /v6/events/{event_name} takes the data map as body (event_time inside it)', async () => {
      const res = await call(emu, 'POST', '/v6/events/identify', {
        json: { partner_user_id: 'u-1', event_time: '2024-02-01T08:30:00.123+02:00', first_name: 'Ann' }
      })
      expect(res.status).toBe(200)
      expect(validateSync(res.body)).toBe(true)
      const [event] = emu.state().events
      expect(event).toMatchObject({ event_name: 'identify', event_time: '2024-02-01T08:30:00.123+02:00', async: false })
      expect(emu.state().persons[0]).toMatchObject({ partner_user_id: 'u-1', first_name: 'Ann', parameters: {} })
    })

    it('decodes the event name in the path', async () => {
      const res = await call(emu, 'POST', '/v6/events/Order%20Completed', { json: {} })
      expect(res.status).toBe(200)
      expect(emu.state().events[0].event_name).toBe('Order Completed')
    })

    it('async routes answer { event_id } only and still record the event', async () => {
      const wrapped = await call(emu, 'POST', '/v6/async-events', {
        json: { event_name: 'conversion', data: { email: 'a@example.com', partner_conversion_id: 'c1' } }
      })
      const named = await call(emu, 'POST', '/v6/async-events/registration', {
        json: { email: 'a@example.com', partner_user_id: 'u-9' }
      })
      for (const res of [wrapped, named]) {
        expect(res.status).toBe(200)
        expect(validateAsync(res.body)).toBe(true)
        expect(Object.keys(res.body)).toEqual(['event_id'])
      }
      const events = emu.state().events
      expect(events.map((e) => [e.event_id, e.event_name, e.async])).toEqual([
        [wrapped.body.event_id, 'conversion', true],
        [named.body.event_id, 'registration', true]
      ])
      expect(new Set(events.map((e) => e.person_id)).size).toBe(1)
    })

    it('defaults event_time to the receive time and accepts data.event_time on wrapped bodies', async () => {
      await postEvent(emu, { event_name: 'a' })
      await postEvent(emu, { event_name: 'b', data: { event_time: '2023-12-31T23:59:59Z' } })
      const [a, b] = emu.state().events
      expect(a.event_time).toBe(a.received_at)
      expect(a.data).toBeNull()
      expect(b.event_time).toBe('2023-12-31T23:59:59Z')
    })

    it('accepts application/json with a charset and a null data map', async () => {
      const res = await postEvent(
        emu,
        { event_name: 'x', data: null },
        { contentType: 'Application/JSON; charset=UTF-8' }
      )
      expect(res.status).toBe(200)
    })

    it('records top-level keys Extole ignores (e.g. email outside data)', async () => {
      await postEvent(emu, { event_name: 'x', email: 'lost@example.com' })
      const state = emu.state()
      expect(state.events[0].ignored_fields).toEqual(['email'])
      expect(state.persons[0].email).toBeNull()
    })
  })

  describe('errors', () => {
    it('415 unsupported_media_type without application/json', async () => {
      expectExtoleError(
        await postEvent(emu, { event_name: 'x' }, { contentType: 'text/plain' }),
        415,
        'unsupported_media_type'
      )
      expectExtoleError(
        await call(emu, 'POST', '/v6/events/x', { rawBody: '{}', contentType: null }),
        415,
        'unsupported_media_type'
      )
      expect(emu.state().events).toHaveLength(0)
    })

    it('400 missing_request_body for an empty body', async () => {
      expectExtoleError(await call(emu, 'POST', '/v6/events', { rawBody: '' }), 400, 'missing_request_body')
      expectExtoleError(await call(emu, 'POST', '/v6/async-events/x', { rawBody: '  \n' }), 400, 'missing_request_body')
      expectExtoleError(await call(emu, 'POST', '/v6/events', { rawBody: 'null' }), 400, 'missing_request_body')
    })

    it('400 invalid_json for unparsable JSON', async () => {
      expectExtoleError(await call(emu, 'POST', '/v6/events', { rawBody: '{"event_name":' }), 400, 'invalid_json')
      expectExtoleError(await call(emu, 'POST', '/v6/events/x', { rawBody: "{'a':1}" }), 400, 'invalid_json')
    })

    it.each([[{}], [{ event_name: '' }], [{ event_name: '   ' }], [{ event_name: 42 }], [{ event_name: null }]])(
      '400 missing_event_name for %j',
      async (body) => {
        expectExtoleError(await postEvent(emu, body), 400, 'missing_event_name')
      }
    )

    it('400 missing_event_name for an empty path name', async () => {
      expectExtoleError(await call(emu, 'POST', '/v6/events/', { json: {} }), 400, 'missing_event_name')
    })

    it.each([
      ['2024-01-15'],
      ['2024-01-15 12:00:00Z'],
      ['2024-01-15T12:00:00'],
      ['2023-02-29T00:00:00Z'],
      ['2024-01-15T24:00:00Z'],
      ['yesterday'],
      [1705320000000]
    ])('400 invalid_event_time_format for %j', async (eventTime) => {
      expectExtoleError(
        await postEvent(emu, { event_name: 'x', event_time: eventTime }),
        400,
        'invalid_event_time_format'
      )
      expectExtoleError(
        await call(emu, 'POST', '/v6/events/x', { json: { event_time: eventTime } }),
        400,
        'invalid_event_time_format'
      )
      expectExtoleError(
        await postEvent(emu, { event_name: 'x', data: { event_time: eventTime } }),
        400,
        'invalid_event_time_format'
      )
    })

    it.each([['2024-02-29T23:59:59.999999Z'], ['2024-01-15T12:00Z'], ['2024-01-15t12:00:00-0530']])(
      'accepts event_time %s',
      async (eventTime) => {
        expect((await postEvent(emu, { event_name: 'x', event_time: eventTime })).status).toBe(200)
      }
    )

    it.each([[[1, 2]], ['text'], [7], [true]])('400 binding_error for data = %j', async (data) => {
      expectExtoleError(await postEvent(emu, { event_name: 'x', data }), 400, 'binding_error')
    })

    it('400 binding_error for non-object bodies and mistyped identity fields', async () => {
      expectExtoleError(await call(emu, 'POST', '/v6/events', { json: ['x'] }), 400, 'binding_error')
      expectExtoleError(await call(emu, 'POST', '/v6/events/x', { json: 'x' }), 400, 'binding_error')
      expectExtoleError(await call(emu, 'POST', '/v6/events/x', { json: { email: 12 } }), 400, 'binding_error')
      expectExtoleError(await call(emu, 'POST', '/v6/events/x', { json: { person_id: 'abc' } }), 400, 'binding_error')
      expectExtoleError(await call(emu, 'POST', '/v6/events/x', { json: { first_name: {} } }), 400, 'binding_error')
      expect(emu.state().events).toHaveLength(0)
    })

    it('400 event_blocked for configured names, on every event route, without recording', async () => {
      expectExtoleError(await postEvent(emu, { event_name: 'spam' }), 400, 'event_blocked')
      expectExtoleError(await call(emu, 'POST', '/v6/async-events/spam', { json: {} }), 400, 'event_blocked')
      expect(emu.state().events).toHaveLength(0)
      expect(emu.state().persons).toHaveLength(0)
    })

    it('every error has a fresh unique_id', async () => {
      const a = await postEvent(emu, {})
      const b = await postEvent(emu, {})
      expect(a.body.unique_id).not.toBe(b.body.unique_id)
    })
  })

  describe('identity resolution', () => {
    it('matches by email case-insensitively, before partner_user_id', async () => {
      const first = await postEvent(emu, {
        event_name: 'a',
        data: { email: 'Bob@Example.com', partner_user_id: 'p-1' }
      })
      await postEvent(emu, { event_name: 'b', data: { email: 'carol@example.com' } })
      const byEmail = await postEvent(emu, {
        event_name: 'c',
        data: { email: 'bob@EXAMPLE.com', partner_user_id: 'p-2' }
      })
      expect(byEmail.body.person_id).toBe(first.body.person_id)
      // email wins over a partner_user_id that belongs to someone else
      const carol = await postEvent(emu, {
        event_name: 'd',
        data: { email: 'carol@example.com', partner_user_id: 'p-2' }
      })
      expect(carol.body.person_id).not.toBe(first.body.person_id)
    })

    it('falls back to partner_user_id (numbers coerced) and creates persons for new identities', async () => {
      const a = await postEvent(emu, { event_name: 'a', data: { partner_user_id: '42' } })
      const b = await postEvent(emu, { event_name: 'b', data: { partner_user_id: 42, email: 'new@example.com' } })
      const c = await postEvent(emu, { event_name: 'c', data: { partner_user_id: '43' } })
      const anonymous1 = await postEvent(emu, { event_name: 'd' })
      const anonymous2 = await postEvent(emu, { event_name: 'e', data: { plan: 'x' } })
      expect(b.body.person_id).toBe(a.body.person_id)
      const ids = [a, c, anonymous1, anonymous2].map((r) => r.body.person_id)
      expect(new Set(ids).size).toBe(4)
      const persons = emu.state().persons
      expect(persons).toHaveLength(4)
      // the partner-matched person had no email yet: it gets the new one
      expect(persons.find((p) => p.person_id === a.body.person_id)).toMatchObject({
        email: 'new@example.com',
        partner_user_id: '42'
      })
    })

    it('never replaces an existing email (no profile merging)', async () => {
      const a = await postEvent(emu, { event_name: 'a', data: { email: 'one@example.com', partner_user_id: 'p' } })
      const b = await postEvent(emu, { event_name: 'b', data: { email: 'two@example.com', partner_user_id: 'p' } })
      expect(b.body.person_id).toBe(a.body.person_id)
      expect(emu.state().persons[0].email).toBe('one@example.com')
    })

    it('targets an existing person by data.person_id when email and partner_user_id do not match', async () => {
      const a = await postEvent(emu, { event_name: 'a', data: { email: 'z@example.com' } })
      const b = await call(emu, 'POST', '/v6/events/b', { json: { person_id: a.body.person_id } })
      expect(b.body.person_id).toBe(a.body.person_id)
    })
  })

  describe('profile and PUBLIC parameters', () => {
    it('stores non-reserved keys as PUBLIC parameters with their JSON types', async () => {
      const res = await call(emu, 'POST', '/v6/events/identify', {
        json: {
          email: 'p@example.com',
          partner_user_id: 'userId123',
          first_name: 'John',
          last_name: 'Doe',
          event_time: '2024-01-01T00:00:00Z',
          age: 25,
          existingCustomer: true,
          cart_value: '99.99',
          score: 1.5,
          nothing: null,
          tags: ['a', 'b'],
          address: { city: 'Paris' }
        }
      })
      expect(res.status).toBe(200)
      const [person] = emu.state().persons
      expect(person).toMatchObject({
        email: 'p@example.com',
        partner_user_id: 'userId123',
        first_name: 'John',
        last_name: 'Doe'
      })
      expect(person.parameters).toEqual({
        age: { value: 25, visibility: 'PUBLIC' },
        existingCustomer: { value: true, visibility: 'PUBLIC' },
        cart_value: { value: '99.99', visibility: 'PUBLIC' },
        score: { value: 1.5, visibility: 'PUBLIC' },
        nothing: { value: null, visibility: 'PUBLIC' },
        tags: { value: ['a', 'b'], visibility: 'PUBLIC' },
        address: { value: { city: 'Paris' }, visibility: 'PUBLIC' }
      })
    })

    it('later values overwrite earlier ones and other parameters are kept', async () => {
      await call(emu, 'POST', '/v6/events/identify', { json: { email: 'o@example.com', age: 25, vip: false } })
      await call(emu, 'POST', '/v6/events/identify', { json: { email: 'O@example.com', age: 26, last_name: 'X' } })
      const [person] = emu.state().persons
      expect(person.parameters).toEqual({
        age: { value: 26, visibility: 'PUBLIC' },
        vip: { value: false, visibility: 'PUBLIC' }
      })
      expect(person.last_name).toBe('X')
    })
  })

  describe('de-duplication', () => {
    it('records a repeated conversion with the same partner_conversion_id once', async () => {
      const data = { email: 'd@example.com', partner_conversion_id: 'purchaseId123', cart_value: '99.99' }
      const first = await postEvent(emu, { event_name: 'conversion', data })
      const again = await postEvent(emu, { event_name: 'conversion', data: { ...data, cart_value: '1.00' } })
      const viaAsync = await call(emu, 'POST', '/v6/async-events/conversion', { json: data })
      expect(again.status).toBe(200)
      expect(again.body).toEqual(first.body)
      expect(viaAsync.body).toEqual({ event_id: first.body.event_id })
      const state = emu.state()
      expect(state.events).toHaveLength(1)
      expect(state.persons[0].parameters.cart_value.value).toBe('99.99')
      expect(state.requests.log.map((e) => [e.recorded, e.duplicate, e.event_id])).toEqual([
        [true, false, first.body.event_id],
        [false, true, first.body.event_id],
        [false, true, first.body.event_id]
      ])
      // a different partner_conversion_id, or none, is a new conversion
      await postEvent(emu, { event_name: 'conversion', data: { ...data, partner_conversion_id: 'other' } })
      await postEvent(emu, { event_name: 'conversion', data: { email: 'd@example.com' } })
      await postEvent(emu, { event_name: 'conversion', data: { email: 'd@example.com' } })
      expect(emu.state().events).toHaveLength(4)
    })

    it('records a repeated registration for the same partner_user_id once', async () => {
      const first = await call(emu, 'POST', '/v6/events/registration', { json: { partner_user_id: 'userId123' } })
      const again = await postEvent(emu, {
        event_name: 'registration',
        data: { partner_user_id: 'userId123', email: 'late@example.com' }
      })
      expect(again.body).toEqual(first.body)
      await call(emu, 'POST', '/v6/events/registration', { json: { partner_user_id: 'userId124' } })
      // other event names with the same ids are not de-duplicated
      await call(emu, 'POST', '/v6/events/login', { json: { partner_user_id: 'userId123' } })
      await call(emu, 'POST', '/v6/events/login', { json: { partner_user_id: 'userId123' } })
      expect(emu.state().events.map((e) => e.event_name)).toEqual(['registration', 'registration', 'login', 'login'])
    })
  })
})
