import { FAULT_HEADER, LATENCY_HEADER, mulberry32, startEmulator, validateFaultOptions, type Emulator } from '..'
import { call, expectExtoleError, postEvent, validateErrorBody } from './helpers'

const fault = (kind: string): { headers: Record<string, string> } => ({ headers: { [FAULT_HEADER]: kind } })

/** What the client saw: a status (and whether the body was HTML), or a network error. */
async function outcome(emu: Emulator, i: number): Promise<string> {
  try {
    const res = await postEvent(emu, { event_name: 'conversion', data: { partner_conversion_id: `c-${i}` } })
    if (res.status !== 200) expect(typeof res.body === 'string' || validateErrorBody(res.body)).toBe(true)
    return typeof res.body === 'string' ? `${res.status}-html` : String(res.status)
  } catch (error) {
    expect((error as Error).message).toBe('fetch failed')
    return 'network'
  }
}

async function run(emu: Emulator, n: number): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < n; i++) seen.push(await outcome(emu, i))
  return seen
}

const count = (items: string[], predicate: (s: string) => boolean): number => items.filter(predicate).length

describe('emulator fault injection', () => {
  describe('per-request header', () => {
    let emu: Emulator
    beforeAll(async () => {
      emu = await startEmulator()
    })
    afterAll(() => emu.stop())
    beforeEach(() => emu.reset())

    it.each([
      ['429', 429, 'too_many_requests'],
      ['503', 503, 'service_unavailable'],
      ['500', 500, 'internal_error'],
      ['502', 502, 'bad_gateway'],
      ['504', 504, 'gateway_timeout']
    ])('%s answers %i %s without processing', async (kind, status, code) => {
      expectExtoleError(await postEvent(emu, { event_name: 'x' }, fault(kind)), status, code)
      const { events, requests } = emu.state()
      expect(events).toHaveLength(0)
      expect(requests.faults[kind === '429' || kind === '503' ? kind : '5xx']).toBe(1)
      expect(requests.log[0]).toMatchObject({ status, fault: kind === '429' || kind === '503' ? kind : '5xx' })
      expect(requests.log[0].recorded).toBe(false)
    })

    it('5xx picks one of 500/502/503/504', async () => {
      const statuses = new Set<number>()
      for (let i = 0; i < 40; i++) statuses.add((await postEvent(emu, { event_name: 'x' }, fault('5xx'))).status)
      expect([...statuses].every((s) => [500, 502, 503, 504].includes(s))).toBe(true)
      expect(statuses.size).toBeGreaterThan(1)
      expect(emu.state().requests.faults['5xx']).toBe(40)
    })

    it('html answers 502 with an HTML page', async () => {
      const res = await postEvent(emu, { event_name: 'x' }, fault('html'))
      expect(res.status).toBe(502)
      expect(res.headers.get('content-type')).toBe('text/html')
      expect(res.text).toContain('<h1>502 Bad Gateway</h1>')
      expect(() => JSON.parse(res.text)).toThrow()
      expect(emu.state().requests.faults.html).toBe(1)
      expect(emu.state().events).toHaveLength(0)
    })

    it('drop destroys the socket without answering or recording', async () => {
      await expect(postEvent(emu, { event_name: 'x' }, fault('drop'))).rejects.toThrow('fetch failed')
      const { events, requests } = emu.state()
      expect(events).toHaveLength(0)
      expect(requests.faults.drop).toBe(1)
      expect(requests.log[0]).toMatchObject({ fault: 'drop', status: null, recorded: false, event_id: null })
      // the emulator keeps serving afterwards
      expect((await postEvent(emu, { event_name: 'x' })).status).toBe(200)
    })

    it('drop-after records the event, then drops the connection (accepted but unacknowledged)', async () => {
      await expect(
        postEvent(emu, { event_name: 'registration', data: { partner_user_id: 'u1' } }, fault('drop-after'))
      ).rejects.toThrow('fetch failed')
      const { events, requests } = emu.state()
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ event_name: 'registration', acknowledged: false })
      expect(requests.faults['drop-after']).toBe(1)
      expect(requests.log[0]).toMatchObject({ status: null, recorded: true, event_id: events[0].event_id })
      // the client's retry is de-duplicated onto the event it never heard about
      const retry = await postEvent(emu, { event_name: 'registration', data: { partner_user_id: 'u1' } })
      expect(retry.body.event_id).toBe(events[0].event_id)
      expect(emu.state().events).toHaveLength(1)
    })

    it('drop-after of an invalid request records nothing', async () => {
      await expect(postEvent(emu, {}, fault('drop-after'))).rejects.toThrow('fetch failed')
      expect(emu.state().events).toHaveLength(0)
      expect(emu.state().requests.log[0]).toMatchObject({ recorded: false, fault: 'drop-after' })
    })

    it('slow / latency header delays the answer and counts as slow', async () => {
      const started = Date.now()
      const res = await postEvent(emu, { event_name: 'x' }, { headers: { [LATENCY_HEADER]: '300' } })
      expect(res.status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      const started2 = Date.now()
      await postEvent(emu, { event_name: 'x' }, { headers: { [FAULT_HEADER]: 'slow', [LATENCY_HEADER]: '150' } })
      expect(Date.now() - started2).toBeGreaterThanOrEqual(140)
      const { requests } = emu.state()
      expect(requests.faults.slow).toBe(2)
      expect(requests.log.map((e) => e.delay_ms)).toEqual([300, 150])
    })

    it('latency combines with a response fault', async () => {
      const started = Date.now()
      const res = await postEvent(
        emu,
        { event_name: 'x' },
        { headers: { [FAULT_HEADER]: '429', [LATENCY_HEADER]: '200' } }
      )
      expect(res.status).toBe(429)
      expect(Date.now() - started).toBeGreaterThanOrEqual(190)
      expect(emu.state().requests.faults).toMatchObject({ '429': 1, slow: 1 })
    })

    it('a client that times out during latency leaves the event recorded', async () => {
      const request = fetch(`${emu.url}/v6/events`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer demo-extole-key',
          'content-type': 'application/json',
          [LATENCY_HEADER]: '400'
        },
        body: JSON.stringify({ event_name: 'x' }),
        signal: AbortSignal.timeout(100)
      })
      await expect(request).rejects.toThrow()
      expect(emu.state().events).toHaveLength(1)
    })

    it('rejects unknown header values with 400 invalid_emulator_fault', async () => {
      expectExtoleError(await postEvent(emu, { event_name: 'x' }, fault('explode')), 400, 'invalid_emulator_fault')
      for (const value of ['abc', '-5', '1.5', '999999999']) {
        const res = await postEvent(emu, { event_name: 'x' }, { headers: { [LATENCY_HEADER]: value } })
        expectExtoleError(res, 400, 'invalid_emulator_fault')
      }
      expect(emu.state().events).toHaveLength(0)
    })

    it('does not apply to control routes', async () => {
      const res = await call(emu, 'GET', '/__emulator/state', { key: null, ...fault('drop') })
      expect(res.status).toBe(200)
    })
  })

  describe('seeded rates', () => {
    it('faultRate503 0.2: about 20% of 200 requests fail, and state matches what the client saw', async () => {
      const emu = await startEmulator({ faultRate503: 0.2, seed: 42 })
      try {
        const seen = await run(emu, 200)
        const failed = count(seen, (s) => s === '503')
        expect(failed / 200).toBeGreaterThan(0.12)
        expect(failed / 200).toBeLessThan(0.28)
        expect(count(seen, (s) => s === '200')).toBe(200 - failed)
        const state = emu.state()
        expect(state.requests.total).toBe(200)
        expect(state.requests.faults['503']).toBe(failed)
        expect(state.events).toHaveLength(200 - failed)
        expect(state.requests.log.map((e) => String(e.status))).toEqual(seen)
        expect(state.requests.log.filter((e) => e.recorded)).toHaveLength(200 - failed)

        // reproducible: same seed, same sequence (reset restarts the PRNG)
        emu.reset()
        expect(await run(emu, 200)).toEqual(seen)
        const twin = await startEmulator({ faultRate503: 0.2, seed: 42 })
        const other = await startEmulator({ faultRate503: 0.2, seed: 43 })
        try {
          expect(await run(twin, 200)).toEqual(seen)
          expect(await run(other, 200)).not.toEqual(seen)
        } finally {
          await Promise.all([twin.stop(), other.stop()])
        }
      } finally {
        await emu.stop()
      }
    })

    it('mixed rates: every kind occurs and the counts match the client-side outcomes', async () => {
      const emu = await startEmulator({
        faultRate429: 0.1,
        faultRate5xx: 0.1,
        htmlErrorRate: 0.1,
        dropRate: 0.05,
        dropAfterRate: 0.05,
        seed: 7
      })
      try {
        const seen = await run(emu, 300)
        const { requests, events } = emu.state()
        const jsonServerErrors = count(seen, (s) => /^5\d\d$/.test(s))
        const networkErrors = count(seen, (s) => s === 'network')
        expect(requests.faults['429']).toBe(count(seen, (s) => s === '429'))
        expect(requests.faults['5xx']).toBe(jsonServerErrors)
        expect(requests.faults.html).toBe(count(seen, (s) => s === '502-html'))
        expect(requests.faults.drop + requests.faults['drop-after']).toBe(networkErrors)
        for (const kind of ['429', '5xx', 'html', 'drop', 'drop-after'] as const) {
          expect(requests.faults[kind]).toBeGreaterThan(0)
        }
        // recorded = answered 200 + accepted-but-dropped
        expect(events).toHaveLength(count(seen, (s) => s === '200') + requests.faults['drop-after'])
        expect(events.filter((e) => !e.acknowledged)).toHaveLength(requests.faults['drop-after'])
        expect(requests.faults.slow).toBe(0)
      } finally {
        await emu.stop()
      }
    })

    it('setFaults changes rates at run time and a seed restarts the sequence', async () => {
      const emu = await startEmulator()
      try {
        expect(await run(emu, 5)).toEqual(['200', '200', '200', '200', '200'])
        emu.setFaults({ faultRate429: 1 })
        expect(await run(emu, 3)).toEqual(['429', '429', '429'])
        emu.setFaults({ faultRate503: 0.5, seed: 1 })
        const first = await run(emu, 20)
        emu.setFaults({ faultRate503: 0.5, seed: 1 })
        expect(await run(emu, 20)).toEqual(first)
        expect(emu.state().faults).toEqual({ faultRate503: 0.5, seed: 1 })
      } finally {
        await emu.stop()
      }
    })

    it('latencyMs delays every API request', async () => {
      const emu = await startEmulator({ latencyMs: 150 })
      try {
        const started = Date.now()
        await postEvent(emu, { event_name: 'x' })
        await call(emu, 'GET', '/v4/tokens')
        expect(Date.now() - started).toBeGreaterThanOrEqual(290)
        expect(emu.state().requests.faults.slow).toBe(2)
      } finally {
        await emu.stop()
      }
    })

    it('invalid start options throw', async () => {
      await expect(startEmulator({ faultRate429: 1.5 })).rejects.toThrow('faultRate429 must be within 0..1')
      await expect(startEmulator({ seed: 1.5 })).rejects.toThrow('seed must be an integer')
      expect(() => validateFaultOptions({ faultRate429: 0.5, dropRate: 0.6 })).toThrow('at most 1')
    })
  })

  describe('mulberry32', () => {
    it('is deterministic per seed and returns values in [0, 1)', () => {
      const a = mulberry32(123)
      const b = mulberry32(123)
      const c = mulberry32(124)
      const seqA = Array.from({ length: 1000 }, () => a())
      expect(Array.from({ length: 1000 }, () => b())).toEqual(seqA)
      expect(Array.from({ length: 1000 }, () => c())).not.toEqual(seqA)
      expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true)
      const mean = seqA.reduce((s, x) => s + x, 0) / seqA.length
      expect(mean).toBeGreaterThan(0.45)
      expect(mean).toBeLessThan(0.55)
    })
  })
})
