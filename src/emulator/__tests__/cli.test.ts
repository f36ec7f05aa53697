import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { DEMO_API_KEY } from '..'
import { parseCliOptions } from '../../../scripts/emulator'

const ROOT = join(__dirname, '..', '..', '..')

describe('scripts/emulator.ts', () => {
  describe('parseCliOptions', () => {
    it('defaults to a free port and the demo key', () => {
      expect(parseCliOptions([], {})).toEqual({ port: 0, apiKeys: [DEMO_API_KEY], usingDemoKey: true })
    })

    it('reads PORT and EXTOLE_EMULATOR_KEYS; --port wins over PORT', () => {
      const env = { PORT: '4010', EXTOLE_EMULATOR_KEYS: ' a , b,,' }
      expect(parseCliOptions([], env)).toEqual({ port: 4010, apiKeys: ['a', 'b'], usingDemoKey: false })
      expect(parseCliOptions(['--port', '5000'], env).port).toBe(5000)
      expect(parseCliOptions(['--port=5001'], env).port).toBe(5001)
      expect(parseCliOptions(['-p', '5002'], {}).port).toBe(5002)
    })

    it('rejects bad ports and unknown arguments', () => {
      expect(() => parseCliOptions(['--port', 'x'], {})).toThrow('invalid port')
      expect(() => parseCliOptions(['--port', '70000'], {})).toThrow('invalid port')
      expect(() => parseCliOptions(['--verbose'], {})).toThrow('unknown argument')
    })
  })

  it('starts, prints the URL and routes, serves requests and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/emulator.ts', '--port', '0'],
      {
        cwd: ROOT,
        env: { ...process.env, EXTOLE_EMULATOR_KEYS: 'cli-secret-key' },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000)
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
          if (match && output.includes('x-emulator-fault')) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
      })
      expect(output).toContain('POST  /v6/events/{event_name}')
      expect(output).toContain('GET   /__emulator/state')
      const res = await fetch(`${url}/v4/tokens`, { headers: { authorization: 'Bearer cli-secret-key' } })
      expect(res.status).toBe(200)
      await res.text()
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(output).toContain('GET /v4/tokens -> 200')
      expect(output).not.toContain('cli-secret-key')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
