import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runScript } from './child'
import { startRig, TEST_KEY, type Rig } from './helpers'

let dir: string
let rig: Rig
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-'))
  rig = await startRig({ blockedEventNames: ['blocked_event'] })
})
afterAll(async () => {
  await rig.stop()
  await rm(dir, { recursive: true, force: true })
})

const line = (value: unknown) => JSON.stringify(value)

describe('npm run replay', () => {
  it('delivers every line of examples/sample-events.jsonl through its own emulator and exits 0', async () => {
    const child = runScript('scripts/replay.ts', ['examples/sample-events.jsonl'])
    expect(await child.exited()).toBe(0)
    const output = child.output()
    expect(output).toMatch(/delivered\s+20\n/)
    expect(output).toMatch(/malformed\s+0\n/)
    expect(output).toContain('Emulator now holds 3 profile(s)')
    expect(child.errors()).toBe('')
  })

  it('counts good, refused, rejected and malformed lines, skips the bad ones and exits non-zero', async () => {
    const file = join(dir, 'mixed.jsonl')
    const lines = [
      line({ type: 'identify', userId: 'r1', traits: { email: 'r1@example.com', firstName: 'R' } }), // 1 delivered
      line({ type: 'track', userId: 'r1', event: 'registration', properties: {} }), // 2 delivered
      line({ type: 'track', anonymousId: 'anon', event: 'Clicked', properties: {} }), // 3 refused: no email/userId
      line({ type: 'identify', userId: 'r2', traits: { email: 'not-an-email' } }), // 4 refused: bad email
      line({ type: 'track', userId: 'r1', event: 'blocked_event' }), // 5 rejected by Extole
      '{"type":"track", "userId":', // 6 malformed JSON
      '', // blank: ignored
      '[1, 2, 3]', // 8 not an object
      line({ type: 'page', name: 'Home' }), // 9 unknown type
      line({ type: 'delete', userId: 'r1' }), // 10 delivered
      line({ type: 'track', userId: 'r3', properties: {} }) // 11 refused: no event name
    ]
    await writeFile(file, lines.join('\n') + '\n')
    const child = runScript('scripts/replay.ts', [file, '--harness', rig.harness.url, '--api-key', TEST_KEY])
    expect(await child.exited()).toBe(1)
    const output = child.output()
    expect(output).toMatch(/10 event line\(s\):/)
    expect(output).toMatch(/delivered\s+3\n/)
    expect(output).toMatch(/refused by validation\s+3\n/)
    expect(output).toMatch(/rejected by Extole\s+1\n/)
    expect(output).toMatch(/retryable\s+0\n/)
    expect(output).toMatch(/malformed\s+3\n/)
    expect(output).toMatch(/line 3: refused by validation: track: PayloadValidationError/)
    expect(output).toMatch(/line 5: rejected by Extole: track: IntegrationError \[400\]/)
    expect(output).toMatch(/line 6: malformed: not valid JSON/)
    expect(output).toMatch(/line 8: malformed: not a JSON object/)
    expect(output).toMatch(/line 9: malformed: unsupported type "page"/)
    expect(output).not.toContain(TEST_KEY)
    expect(rig.emulator.state().erasures).toEqual([expect.objectContaining({ partner_user_id: 'r1' })])
  })

  it('counts a refused key as rejected by Extole, without printing the key', async () => {
    const file = join(dir, 'refused.jsonl')
    await writeFile(file, line({ type: 'identify', userId: 'f1', traits: {} }) + '\n')
    const refused = runScript('scripts/replay.ts', [file, '--harness', rig.harness.url, '--api-key=not-the-key-123'])
    expect(await refused.exited()).toBe(1)
    expect(refused.output()).toMatch(/rejected by Extole\s+1\n/)
    expect(refused.output()).not.toContain('not-the-key-123')
  })

  it('counts 503s and dropped connections as retryable', async () => {
    const file = join(dir, 'faults.jsonl')
    const lines = [1, 2, 3, 4].map((n) => line({ type: 'identify', userId: `f${n}`, traits: {} }))
    await writeFile(file, lines.join('\n'))
    const faulty = await startRig({ faultRate503: 0.5, dropRate: 0.5, seed: 7 })
    try {
      const retry = runScript('scripts/replay.ts', [file, '--harness', faulty.harness.url, '--api-key', TEST_KEY])
      expect(await retry.exited()).toBe(1)
      expect(retry.output()).toMatch(/retryable\s+4\n/)
      const { faults } = faulty.emulator.state().requests
      expect(faults['503'] + faults.drop).toBe(4)
    } finally {
      await faulty.stop()
    }
  })

  it('shows progress on stderr for files over 50 lines', async () => {
    const file = join(dir, 'long.jsonl')
    const lines = Array.from({ length: 60 }, (_, i) => line({ type: 'track', userId: `p${i}`, event: 'Clicked' }))
    await writeFile(file, lines.join('\n'))
    const child = runScript('scripts/replay.ts', [file, '--harness', rig.harness.url, '--api-key', TEST_KEY])
    expect(await child.exited()).toBe(0)
    expect(child.output()).toMatch(/delivered\s+60\n/)
    expect(child.errors()).toMatch(/\[#+\] 60\/60 100%/)
  })

  it('exits 2 with the usage on a missing file argument or an unreadable file', async () => {
    const none = runScript('scripts/replay.ts', [])
    const missing = runScript('scripts/replay.ts', [join(dir, 'nope.jsonl')])
    expect(await none.exited()).toBe(2)
    expect(none.errors()).toMatch(/Usage: npm run replay/)
    expect(await missing.exited()).toBe(2)
    expect(missing.errors()).toMatch(/cannot read .*ENOENT/)
  })
})
