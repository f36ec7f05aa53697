/**
 * Extole API emulator CLI: `npm run emulator` (ts-node --transpile-only scripts/emulator.ts).
 *
 *   PORT=4010 npm run emulator            # or: npm run emulator -- --port 4010 (default: a free port)
 *   EXTOLE_EMULATOR_KEYS=key1,key2 ...    # accepted bearer keys (default: the demo key, DEMO_API_KEY)
 *
 * Fault options can be changed at run time with `POST /__emulator/faults` (JSON body, see FaultOptions).
 */
import {
  API_ROUTES,
  CONTROL_ROUTES,
  DEMO_API_KEY,
  FAULT_HEADER,
  HEADER_FAULTS,
  LATENCY_HEADER,
  startEmulator
} from '../src/emulator'

export interface CliOptions {
  port: number
  apiKeys: string[]
  usingDemoKey: boolean
}

export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  let portText = env.PORT
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--port' || arg === '-p') portText = argv[++i]
    else if (arg.startsWith('--port=')) portText = arg.slice('--port='.length)
    else throw new Error(`unknown argument: ${arg}`)
  }
  const port = portText === undefined || portText === '' ? 0 : Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${portText}`)
  const keys = (env.EXTOLE_EMULATOR_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '')
  return keys.length > 0
    ? { port, apiKeys: keys, usingDemoKey: false }
    : { port, apiKeys: [DEMO_API_KEY], usingDemoKey: true }
}

async function main(): Promise<void> {
  let options: CliOptions
  try {
    options = parseCliOptions(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(
      `emulator: ${(error as Error).message}\nusage: emulator [--port N]   (env: PORT, EXTOLE_EMULATOR_KEYS)`
    )
    process.exit(2)
  }
  const emulator = await startEmulator({
    port: options.port,
    apiKeys: options.apiKeys,
    log: (line) => console.log(line)
  })
  const keyInfo = options.usingDemoKey
    ? `API key: ${DEMO_API_KEY} (demo key; set EXTOLE_EMULATOR_KEYS=key1,key2 to use others)`
    : `API keys: ${options.apiKeys.length} from EXTOLE_EMULATOR_KEYS`
  console.log(
    [
      `Extole emulator listening on ${emulator.url}`,
      keyInfo,
      'Routes (Authorization: Bearer <key>):',
      ...API_ROUTES.map((r) => `  ${r.method.padEnd(5)} ${r.template}`),
      'Emulator routes (no auth):',
      `  GET   ${CONTROL_ROUTES.state}`,
      `  POST  ${CONTROL_ROUTES.reset}`,
      `  GET   ${CONTROL_ROUTES.faults}`,
      `  POST  ${CONTROL_ROUTES.faults}`,
      `Fault headers: ${FAULT_HEADER}: ${HEADER_FAULTS.join('|')}, ${LATENCY_HEADER}: <ms>`
    ].join('\n')
  )

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`${signal} received, stopping`)
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`emulator: ${(error as Error).message}`)
    process.exit(1)
  })
}
