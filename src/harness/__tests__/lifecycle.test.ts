import { Agent, request } from 'node:http'
import { startRig, settings, TEST_KEY } from './helpers'
import type { HarnessResult } from '../run-action'

describe('harness lifecycle and timeouts', () => {
  it('records a timed-out request with response null, and reports it as retryable', async () => {
    const rig = await startRig({ latencyMs: 2000 }, { timeoutMs: 150 })
    try {
      const started = Date.now()
      const result = await rig.client.action('identify', { type: 'identify', userId: 'slow', traits: {} }, settings)
      expect(Date.now() - started).toBeLessThan(1500)
      expect(result.ok).toBe(false)
      expect(result.exchanges).toEqual([
        expect.objectContaining({ response: null, error: expect.stringMatching(/time/i) })
      ])
      expect(result.error).toMatchObject({ name: 'RetryableError', status: 504 })
      expect(JSON.stringify(result)).not.toContain(TEST_KEY)
    } finally {
      await rig.stop()
    }
  })

  it('stop() closes idle keep-alive connections at once', async () => {
    const rig = await startRig()
    const agent = new Agent({ keepAlive: true })
    try {
      const status = await new Promise<number>((done, fail) => {
        const req = request(`${rig.harness.url}/manifest`, { agent }, (res) => {
          res.resume()
          res.on('end', () => done(res.statusCode ?? 0))
        })
        req.on('error', fail)
        req.end()
      })
      expect(status).toBe(200)
      const started = Date.now()
      await rig.harness.stop()
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      agent.destroy()
      await rig.stop()
    }
  })

  it('serves on the requested host and a free port', async () => {
    const rig = await startRig()
    try {
      expect(rig.harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(rig.harness.port).toBeGreaterThan(0)
      const result: HarnessResult = await rig.client.authenticate(settings)
      expect(result.ok).toBe(true)
    } finally {
      await rig.stop()
    }
  })
})
