import { Agent, request } from 'node:http'
import { DEMO_API_KEY, LATENCY_HEADER, startEmulator } from '..'
import { call } from './helpers'

function getWithAgent(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v4/tokens`, { agent, headers: { authorization: `Bearer ${DEMO_API_KEY}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('emulator lifecycle', () => {
  it('listens on 127.0.0.1 and reports its url and port', async () => {
    const emu = await startEmulator()
    try {
      expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`)
      expect(emu.port).toBeGreaterThan(0)
    } finally {
      await emu.stop()
    }
  })

  it('honours options.port and fails to start on a port in use', async () => {
    const first = await startEmulator()
    try {
      const second = await startEmulator({ port: first.port }).catch((e: NodeJS.ErrnoException) => e)
      expect((second as NodeJS.ErrnoException).code).toBe('EADDRINUSE')
    } finally {
      await first.stop()
    }
    const reused = await startEmulator({ port: first.port })
    expect(reused.port).toBe(first.port)
    await reused.stop()
  })

  it('stop() resolves quickly with an open keep-alive connection', async () => {
    const emu = await startEmulator()
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 })
    try {
      expect(await getWithAgent(emu.url, agent)).toBe(200)
      const idle = Object.values(agent.freeSockets).flat()
      expect(idle).toHaveLength(1)
      const started = Date.now()
      await emu.stop()
      expect(Date.now() - started).toBeLessThan(500)
    } finally {
      agent.destroy()
    }
  })

  it('stop() resolves quickly with fetch keep-alive connections and an in-flight slow request', async () => {
    const emu = await startEmulator()
    expect((await call(emu, 'GET', '/v4/tokens')).status).toBe(200)
    const slow = call(emu, 'GET', '/v4/tokens', { headers: { [LATENCY_HEADER]: '20000' } }).then(
      (r) => r.status,
      () => 'network error'
    )
    await new Promise((r) => setTimeout(r, 100))
    const started = Date.now()
    await emu.stop()
    expect(Date.now() - started).toBeLessThan(500)
    expect(await slow).toBe('network error')
    await expect(fetch(`${emu.url}/v4/tokens`)).rejects.toThrow('fetch failed')
  })

  it('stop() is idempotent', async () => {
    const emu = await startEmulator()
    await Promise.all([emu.stop(), emu.stop()])
    await emu.stop()
  })
})
