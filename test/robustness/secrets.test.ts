import { SECRET_KEY } from './lib/constants'
import { captureOutput, findSecret } from './lib/leaks'
import { HARNESS_SCENARIOS, SECRET_SCENARIOS, SecretsRunner } from './lib/secrets'

/**
 * The key (`sk-ROBUSTNESS-SECRET-7f3e9c1d`) through every error path: testAuthentication, each Extole error code
 * (400 to 503), timeouts, resets, HTML pages, our own validation errors, batch errors and onDelete errors, against
 * an "Extole" that echoes the Authorization header in its bodies and headers. It must reach no thrown error
 * (message, stack, JSON.stringify, util.inspect, any property), no multistatus entry, no action result, no log line
 * (console.* and process.stdout/stderr are recorded during every run) and no answer of the local harness, whose
 * recorded requests must show credential headers as `<redacted>`.
 */

let runner: SecretsRunner

beforeAll(async () => {
  runner = await SecretsRunner.start()
})
afterAll(async () => {
  await runner.stop()
})

describe('the leak detector', () => {
  it('finds the key wherever the checks look', () => {
    const hidden = new Error('fine')
    Object.defineProperty(hidden, 'request', {
      value: { headers: new Map([['authorization', `Bearer ${SECRET_KEY}`]]) }
    })
    expect(findSecret(hidden)).toBe('util.inspect')
    expect(findSecret(hidden, SECRET_KEY, { quick: true })).toMatch(/^\$\.request\.headers/)
    expect(findSecret(new Error(`token ${SECRET_KEY}`))).toBe('message')
    expect(findSecret({ nested: [{ deep: `x${SECRET_KEY}x` }] })).toBe('JSON.stringify')
    expect(findSecret({ [SECRET_KEY]: 1 })).toBe('JSON.stringify')
    expect(findSecret({ ok: true })).toBeUndefined()
  })

  it('records console.* and process.stdout/stderr while capturing', () => {
    const output = captureOutput({ echo: false })
    try {
      console.debug('probe-debug')
      console.warn('probe-warn', { nested: 'probe-object' })
      process.stderr.write('probe-stderr\n')
    } finally {
      output.restore()
    }
    const text = output.lines.join('\n')
    for (const probe of ['probe-debug', 'probe-warn', 'probe-object', 'probe-stderr']) expect(text).toContain(probe)
  })
})

describe.each(SECRET_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  it('keeps the key out of errors, results, multistatus and logs', async () => {
    const run = await runner.run(scenario)
    expect(run.leaks).toEqual([])
    // The run is meaningful: the key did go to Extole as the bearer token (our validation errors send nothing).
    expect(run.sentKey).toBe(scenario.mode !== undefined)
  })
})

describe.each(HARNESS_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  it('keeps the key out of the harness answer and shows credential headers as <redacted>', async () => {
    const run = await runner.runHarness(scenario)
    expect(run.leaks).toEqual([])
    expect(run.sentKey).toBe(scenario.mode !== undefined)
  })
})
