import type { HarnessClient, HarnessCall } from './client'

/** How each line of a replayed file ended. */
export type Outcome = 'delivered' | 'refused' | 'rejected' | 'retryable' | 'malformed'

export const OUTCOME_LABELS: Record<Outcome, string> = {
  delivered: 'delivered',
  refused: 'refused by validation',
  rejected: 'rejected by Extole',
  retryable: 'retryable',
  malformed: 'malformed'
}

export type ReplayLine =
  | { kind: 'identify' | 'track'; payload: Record<string, unknown> }
  | { kind: 'delete'; payload: { userId?: string | null; anonymousId?: string | null } }
  | { kind: 'malformed'; reason: string }

export interface LineReport {
  line: number
  outcome: Outcome
  /** Why it was not delivered (already free of any key: harness answers are scrubbed). */
  message?: string
}

export interface ReplaySummary {
  counts: Record<Outcome, number>
  /** Every line that was not delivered, in order. */
  failures: LineReport[]
  /** Lines that held an event (blank lines excluded). */
  total: number
}

const VALIDATION_ERRORS = new Set(['PayloadValidationError', 'AggregateAjvError', 'ValidationError'])

/** Parses one line of a Segment event file; never throws. */
export function parseLine(text: string): ReplayLine {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'malformed', reason: 'not valid JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', reason: 'not a JSON object' }
  }
  const event = value as Record<string, unknown>
  switch (event.type) {
    case 'identify':
    case 'track':
      return { kind: event.type, payload: event }
    case 'delete': {
      const id = (key: string) =>
        typeof event[key] === 'string' || event[key] === null ? (event[key] as string | null) : undefined
      return { kind: 'delete', payload: { userId: id('userId'), anonymousId: id('anonymousId') } }
    }
    case undefined:
      return { kind: 'malformed', reason: 'no "type" (expected identify, track or delete)' }
    default:
      return {
        kind: 'malformed',
        reason: `unsupported type ${JSON.stringify(event.type).slice(0, 40)} (expected identify, track or delete)`
      }
  }
}

/** Sorts a harness answer into an outcome: our refusal, Extole's refusal, or something worth retrying. */
export function classify(result: HarnessCall): Outcome {
  if (result.ok) return 'delivered'
  const error = result.error
  if (result.error?.name === 'HarnessRequestError') {
    return result.httpStatus >= 500 ? 'retryable' : 'malformed'
  }
  if (error && (VALIDATION_ERRORS.has(error.name) || error.code === 'PAYLOAD_VALIDATION_FAILED')) return 'refused'
  const last = result.exchanges[result.exchanges.length - 1]
  const status = error?.status ?? last?.response?.statusCode
  if (error?.name === 'RetryableError' || (last && last.response === null)) return 'retryable'
  if (status !== undefined && (status === 408 || status === 429 || (status >= 500 && status !== 501)))
    return 'retryable'
  return 'rejected'
}

export interface ReplayOptions {
  settings: Record<string, unknown>
  /** Called after each line with (done, total), for a progress bar. */
  onProgress?: (done: number, total: number) => void
}

/** Sends each line of `text` through the harness in order; a bad line is counted and skipped, never thrown. */
export async function replayText(client: HarnessClient, text: string, options: ReplayOptions): Promise<ReplaySummary> {
  const lines = text.split(/\r?\n/)
  const numbered = lines.map((line, index) => ({ line: index + 1, text: line.trim() })).filter((l) => l.text !== '')
  const counts: Record<Outcome, number> = { delivered: 0, refused: 0, rejected: 0, retryable: 0, malformed: 0 }
  const failures: LineReport[] = []
  let done = 0
  for (const { line, text: source } of numbered) {
    const report = await replayLine(client, line, source, options.settings)
    counts[report.outcome]++
    if (report.outcome !== 'delivered') failures.push(report)
    options.onProgress?.(++done, numbered.length)
  }
  return { counts, failures, total: numbered.length }
}

async function replayLine(
  client: HarnessClient,
  line: number,
  source: string,
  settings: Record<string, unknown>
): Promise<LineReport> {
  const parsed = parseLine(source)
  if (parsed.kind === 'malformed') return { line, outcome: 'malformed', message: parsed.reason }
  let result: HarnessCall
  try {
    result =
      parsed.kind === 'delete'
        ? await client.delete(parsed.payload, settings)
        : await client.action(parsed.kind, parsed.payload, settings)
  } catch (error) {
    // The harness itself could not be reached or answered garbage: worth trying again later.
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    return { line, outcome: 'retryable', message: `harness call failed: ${String(code ?? message ?? error)}` }
  }
  const outcome = classify(result)
  if (outcome === 'delivered') return { line, outcome }
  const error = result.error
  const status = error?.status !== undefined ? ` [${error.status}]` : ''
  const message = error ? `${error.name}${status}: ${error.message}` : 'not delivered'
  return { line, outcome, message: `${parsed.kind}: ${message}` }
}

/** A one-line progress bar: `[#########-----------]  45/100  45%`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total)
  const filled = Math.round(ratio * width)
  const count = `${String(done).padStart(String(total).length)}/${total}`
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count} ${String(Math.round(ratio * 100)).padStart(3)}%`
}

/** The summary table and the not-delivered lines (at most `maxListed`), as printed by `npm run replay`. */
export function formatSummary(summary: ReplaySummary, maxListed = 50): string[] {
  const lines: string[] = []
  for (const failure of summary.failures.slice(0, maxListed)) {
    lines.push(`line ${failure.line}: ${OUTCOME_LABELS[failure.outcome]}: ${failure.message ?? ''}`.trimEnd())
  }
  if (summary.failures.length > maxListed) lines.push(`… and ${summary.failures.length - maxListed} more`)
  if (summary.failures.length > 0) lines.push('')
  const width = Math.max(...Object.values(OUTCOME_LABELS).map((label) => label.length))
  lines.push(`${summary.total} event line(s):`)
  for (const outcome of Object.keys(OUTCOME_LABELS) as Outcome[]) {
    lines.push(`  ${OUTCOME_LABELS[outcome].padEnd(width)}  ${summary.counts[outcome]}`)
  }
  return lines
}

/**
 * Progress on `stream` (stderr): a redrawn bar on a terminal; otherwise, for files over `minLines` lines, one line
 * per tenth. Returns undefined when no progress should be shown.
 */
export function progressReporter(
  stream: { write(text: string): unknown; isTTY?: boolean },
  total: number,
  minLines = 50
): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY && total <= minLines) return undefined
  if (stream.isTTY) {
    let last = 0
    return (done, all) => {
      const now = Date.now()
      if (done < all && now - last < 80) return
      last = now
      stream.write(`\r${progressBar(done, all)}${done === all ? '\n' : ''}`)
    }
  }
  let lastTenth = 0
  return (done, all) => {
    const tenth = Math.floor((done / all) * 10)
    if (tenth > lastTenth || done === all) {
      lastTenth = tenth
      stream.write(`${progressBar(done, all)}\n`)
    }
  }
}
