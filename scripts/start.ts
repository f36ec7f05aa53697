/**
 * `npm start`: the Extole emulator plus the actions test harness on loopback, then the seed's sample calls
 * (skip them with `npm start -- --no-demo`, or `npm start --no-demo`).
 *
 * `--real-extole` (with `EXTOLE_API_KEY` set) points the harness at Extole's real hosts instead; no emulator is
 * started and no sample call is made (they would write to the real program). Environment: `PORT` (harness, default
 * 3000), `EMULATOR_PORT` (default: a free port), `HOST` (default 127.0.0.1).
 */
import type { Emulator } from '../src/emulator'
import type { Harness } from '../src/harness/server'

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}

function parsePort(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0-65535)`)
  return port
}

function wantsDemo(): boolean {
  const demoFlag = process.env.npm_config_demo
  return !(process.argv.includes('--no-demo') || demoFlag === '' || demoFlag === 'false')
}

async function main(): Promise<void> {
  const realExtole = process.argv.includes('--real-extole')
  const port = parsePort('PORT', 3000)
  const host = process.env.HOST?.trim() || '127.0.0.1'
  let emulator: Emulator | undefined
  let harness: Harness | undefined
  let stopping = false

  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      process.exit(1) // a second Ctrl+C: give up waiting
    }
    stopping = true
    print(`\n${signal}: stopping the harness${emulator ? ' and the emulator' : ''}…`)
    await Promise.allSettled([harness?.stop(), emulator?.stop()])
    print('Stopped.')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  const apiKey = process.env.EXTOLE_API_KEY?.trim()
  if (realExtole && !apiKey) {
    process.stderr.write(
      'Refusing to start against the real Extole: --real-extole also needs EXTOLE_API_KEY in the environment.\n' +
        'Without --real-extole, `npm start` uses the embedded Extole emulator (no key needed).\n'
    )
    process.exit(2)
  }
  // Loaded only once the arguments are known to be good: a refusal answers at once.
  const { DEMO_API_KEY, startEmulator } = await import('../src/emulator')
  const { HarnessClient, fetchEmulatorState } = await import('../src/harness/client')
  const { runDemo } = await import('../src/harness/demo')
  const { formatOutcome, formatProfiles } = await import('../src/harness/format')
  const { startHarness } = await import('../src/harness/server')
  const { REAL_EXTOLE_TARGET, emulatorTarget } = await import('../src/harness/targets')

  if (realExtole && apiKey) {
    harness = await startHarness({ port, host, target: REAL_EXTOLE_TARGET })
    print(`Harness listening on ${harness.url}`)
    print(`Target: the REAL Extole (${REAL_EXTOLE_TARGET.apiBaseUrl}, ${REAL_EXTOLE_TARGET.eventsBaseUrl})`)
    print('No sample calls are sent to the real Extole. Checking EXTOLE_API_KEY (GET /v4/tokens)…')
    const check = await new HarnessClient(harness.url).authenticate({ apiKey })
    print(check.ok ? '    <- the key is valid' : `    <- the key was refused`)
    if (!check.ok) for (const line of formatOutcome(check)) print(line)
  } else {
    emulator = await startEmulator({ port: parsePort('EMULATOR_PORT', 0) })
    print(`Extole emulator listening on ${emulator.url} (accepts the demo key "${DEMO_API_KEY}")`)
    harness = await startHarness({ port, host, target: emulatorTarget(emulator.url) })
    print(`Harness listening on ${harness.url}`)

    if (wantsDemo()) {
      print()
      print('Sample calls (Segment call, then the Extole request and its answer):')
      const client = new HarnessClient(harness.url)
      const { calls, failed } = await runDemo(client, { apiKey: DEMO_API_KEY }, print)
      print(`${calls - failed} of ${calls} calls delivered.`)
      print()
      print(`Emulator profiles (GET ${emulator.url}/__emulator/state):`)
      for (const line of formatProfiles(await fetchEmulatorState(emulator.url))) print(line)
    }
  }

  print()
  print('Routes:')
  const actions = (await new HarnessClient(harness.url).manifest()).actions
  const routes: Array<[string, string, string]> = [
    ['GET ', '/manifest', ''],
    ['POST', '/authenticate', '{ settings }'],
    ...actions.map((action): [string, string, string] => ['POST', `/${action.key}`, '{ payload, settings, mapping? }']),
    ['POST', '/delete', '{ payload: { userId, anonymousId }, settings }']
  ]
  const width = Math.max(...routes.map(([, path]) => path.length))
  for (const [method, path, body] of routes) print(`  ${method} ${harness.url}${path.padEnd(width)}  ${body}`.trimEnd())
  if (emulator) {
    print(`Emulator: ${emulator.url} (GET /__emulator/state, POST /__emulator/reset, GET|POST /__emulator/faults)`)
    print(`Settings for the emulator: { "apiKey": "${DEMO_API_KEY}" }`)
  }
  print('Press Ctrl+C to stop.')
}

main().catch((error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  const text = code === 'EADDRINUSE' ? `the port is already in use (set PORT to another one): ${message}` : message
  process.stderr.write(`npm start failed: ${typeof text === 'string' ? text : String(error)}\n`)
  process.exit(1)
})
