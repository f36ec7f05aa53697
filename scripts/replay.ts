/**
 * `npm run replay -- FILE.jsonl [--harness URL] [--api-key KEY]`
 *
 * Sends a file of Segment events (one JSON object a line: identify, track, or `{ "type": "delete", "userId": … }`)
 * through the actions test harness, then prints the counts by outcome. Without `--harness` it starts its own emulator
 * and harness in-process (settings: the emulator's demo key). Exit code: 0 when every line was delivered, 1 otherwise,
 * 2 on a usage error.
 */
import { readFile } from 'node:fs/promises'
import type { Emulator } from '../src/emulator'
import type { Harness } from '../src/harness/server'

const USAGE = `Usage: npm run replay -- FILE.jsonl [--harness URL] [--api-key KEY]
  FILE.jsonl     one Segment event per line (identify, track, or {"type":"delete","userId":"…"})
  --harness URL  use a running harness (npm start) instead of an in-process emulator + harness
  --api-key KEY  the destination's apiKey setting (default: EXTOLE_API_KEY with --harness, else the demo key)`

interface Args {
  file: string
  harnessUrl?: string
  apiKey?: string
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const positional: string[] = []
  const flags: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') throw new UsageError('')
    const match = /^--(harness|api-key)(?:=(.*))?$/.exec(arg)
    if (match) {
      const value = match[2] ?? argv[++i]
      if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`)
      flags[match[1]] = value
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`)
    } else {
      positional.push(arg)
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'give exactly one file' : 'no file given')
  return { file: positional[0], harnessUrl: flags.harness, apiKey: flags['api-key'] }
}

async function main(): Promise<number> {
  let args: Args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${error.message ? `replay: ${error.message}\n` : ''}${USAGE}\n`)
    return 2
  }
  let text: string
  try {
    text = await readFile(args.file, 'utf8')
  } catch (error) {
    process.stderr.write(`replay: cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`)
    return 2
  }

  // Loaded only once the arguments and the file are known to be good: a usage error answers at once.
  const { DEMO_API_KEY, startEmulator } = await import('../src/emulator')
  const { HarnessClient, fetchEmulatorState } = await import('../src/harness/client')
  const { formatSummary, progressReporter, replayText } = await import('../src/harness/replay')
  const { startHarness } = await import('../src/harness/server')
  const { emulatorTarget } = await import('../src/harness/targets')

  let emulator: Emulator | undefined
  let harness: Harness | undefined
  try {
    let harnessUrl = args.harnessUrl?.replace(/\/+$/, '')
    if (!harnessUrl) {
      emulator = await startEmulator()
      harness = await startHarness({ target: emulatorTarget(emulator.url) })
      harnessUrl = harness.url
    }
    const apiKey = args.apiKey ?? (args.harnessUrl ? process.env.EXTOLE_API_KEY : undefined) ?? DEMO_API_KEY
    const client = new HarnessClient(harnessUrl)
    const total = text.split(/\r?\n/).filter((line) => line.trim() !== '').length
    const where = emulator ? `an in-process harness (${harnessUrl}) and emulator (${emulator.url})` : harnessUrl
    process.stdout.write(`Replaying ${args.file} (${total} line(s)) through ${where}\n`)
    const summary = await replayText(client, text, {
      settings: { apiKey },
      onProgress: progressReporter(process.stderr, total)
    })
    for (const line of formatSummary(summary)) process.stdout.write(`${line}\n`)
    if (emulator) {
      const state = await fetchEmulatorState(emulator.url)
      process.stdout.write(
        `Emulator now holds ${state.persons.length} profile(s), ${state.events.length} event(s), ${state.erasures.length} erasure(s).\n`
      )
    }
    return summary.counts.delivered === summary.total ? 0 : 1
  } finally {
    await Promise.allSettled([harness?.stop(), emulator?.stop()])
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${(error as Error)?.message ?? String(error)}\n`)
    process.exit(1)
  }
)
