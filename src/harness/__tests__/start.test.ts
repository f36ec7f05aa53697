import got from 'got'
import { runScript } from './child'

describe('npm start', () => {
  it('boots with --no-demo, serves /manifest, and stops cleanly on SIGINT', async () => {
    const child = runScript('scripts/start.ts', ['--no-demo'], { PORT: '0' })
    const [, url] = await child.waitFor(/Harness listening on (http:\/\/127\.0\.0\.1:\d+)/)
    await child.waitFor(/Press Ctrl\+C to stop\./)
    const manifest = await got(`${url}/manifest`, { retry: 0 }).json<{ name: string }>()
    expect(manifest.name).toBe('Extole')
    expect(child.output()).not.toContain('Sample calls')
    child.process.kill('SIGINT')
    expect(await child.exited(10_000)).toBe(0)
    expect(child.output()).toContain('Stopped.')
  })

  it('treats `npm start --no-demo` (npm_config_demo set to "") as no demo, and stops on SIGTERM', async () => {
    const child = runScript('scripts/start.ts', [], { PORT: '0', npm_config_demo: '' })
    await child.waitFor(/Press Ctrl\+C to stop\./)
    expect(child.output()).not.toContain('Sample calls')
    child.process.kill('SIGTERM')
    expect(await child.exited(10_000)).toBe(0)
  })

  it("runs the seed's sample calls and prints the resulting profiles", async () => {
    const child = runScript('scripts/start.ts', [], { PORT: '0', npm_config_demo: 'true' })
    await child.waitFor(/Press Ctrl\+C to stop\./)
    const output = child.output()
    expect(output).toContain(
      "analytics.identify('userId123', { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', age: 25, existingCustomer: true })"
    )
    expect(output).toContain("analytics.track('registration',")
    expect(output).toContain("partner_conversion_id: 'purchaseId123', cart_value: '99.99'")
    expect(output).toContain("analytics.track('Login Button Clicked')")
    expect(output).toContain('Engage audience entry')
    expect(output).toContain('Engage audience exit')
    expect(output).toContain("Segment deletion request { userId: '056tf9eqw24' }")
    expect(output).toMatch(/-> POST http:\/\/127\.0\.0\.1:\d+\/v6\/events \{"event_name":"identify"/)
    expect(output).toMatch(/-> POST http:\/\/127\.0\.0\.1:\d+\/v4\/erasures \{"partner_user_id":"056tf9eqw24"/)
    expect(output).toContain('8 of 8 calls delivered.')
    expect(output).toMatch(/person \d+: email john\.doe@example\.com, partner_user_id userId123, name John Doe/)
    expect(output).toMatch(/parameters \(PUBLIC\): age=25, existingCustomer=true.*order_completed_last_30days=false/)
    expect(output).toMatch(/erasure of partner_user_id 056tf9eqw24: PENDING, 1 person\(s\)/)
    expect(output).not.toContain('jane.roe@example.com, partner_user_id') // erased
    child.process.kill('SIGINT')
    expect(await child.exited(10_000)).toBe(0)
  })

  it('refuses --real-extole without EXTOLE_API_KEY', async () => {
    const env: Record<string, string> = { PORT: '0', EXTOLE_API_KEY: '' }
    const child = runScript('scripts/start.ts', ['--real-extole'], env)
    expect(await child.exited()).toBe(2)
    expect(child.errors()).toMatch(/--real-extole also needs EXTOLE_API_KEY/)
  })
})
