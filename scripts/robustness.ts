/**
 * Robustness report: `npm run robustness` (ts-node --transpile-only scripts/robustness.ts).
 *
 * Runs the same generators and scenarios as the jest suite in test/robustness/ (shared code in
 * test/robustness/lib/) and prints the figures: cases per action and their outcomes, faults injected and survived,
 * events lost, accepted-then-dropped duplicates, secret leaks. Exits 1 when an event was lost, the key leaked, a
 * property failed or a fault was misclassified.
 *
 *   ROBUSTNESS_RUNS=N      cases per action of the hostile-input properties (default 10000)
 *   ROBUSTNESS_WORKERS=N   worker threads for them (default: one per core)
 */
import { availableParallelism } from 'node:os'
import { DEFAULT_RUNS, hostileRuns, SECRET_KEY, SEEDS } from '../test/robustness/lib/constants'
import { FAULT_SCENARIOS, FaultRunner, type FaultScenarioResult } from '../test/robustness/lib/faults'
import { HOSTILE_ACTIONS, type HostileAction } from '../test/robustness/lib/hostile'
import { defaultWorkerCount, startHostilePool, type HostileResult } from '../test/robustness/lib/hostile-pool'
import { HARNESS_SCENARIOS, SECRET_SCENARIOS, SecretsRunner, type SecretRun } from '../test/robustness/lib/secrets'

const LABELS: Record<HostileAction, string> = {
  identify: 'identify',
  track: 'track',
  trackBatch: 'track batch',
  identifyBatch: 'identify batch',
  delete: 'deletion (onDelete)'
}

function table(header: string[], rows: Array<Array<string | number>>): string[] {
  const cells = [header, ...rows.map((row) => row.map(String))]
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)))
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)]
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const print = (...lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`)

async function hostileSection(): Promise<{ failures: number; results: HostileResult[] }> {
  const numRuns = hostileRuns()
  const workers = Math.min(defaultWorkerCount(), HOSTILE_ACTIONS.length)
  const started = Date.now()
  const pool = startHostilePool(
    HOSTILE_ACTIONS.map((action) => ({ action, seed: SEEDS[action], numRuns })),
    workers
  )
  let results: HostileResult[]
  try {
    results = await pool.all()
  } finally {
    await pool.close()
  }
  const rows = results.map((r) => {
    const s = r.stats
    return [
      LABELS[r.action],
      s.cases,
      s.events,
      s.delivered,
      s.refusedBySchema + s.refusedByDestination,
      `${s.refusedBySchema} / ${s.refusedByDestination}`,
      s.rejectedByExtole,
      s.retryable,
      r.failure || r.uncaught.length > 0 || r.prototypeProblems.length > 0 ? 'FAILED' : 'ok',
      seconds(r.ms)
    ]
  })
  const sum = (pick: (r: HostileResult) => number) => results.reduce((total, r) => total + pick(r), 0)
  print(
    `1. Hostile input (fast-check, ${numRuns} cases per action, fixed seeds, ${workers} worker threads, ${seconds(Date.now() - started)})`,
    '',
    ...table(
      [
        'action',
        'cases',
        'events',
        'delivered',
        'refused by validation',
        '(schema / destination)',
        'rejected by Extole',
        'retryable',
        'invariants',
        'time'
      ],
      [
        ...rows,
        [
          'total',
          sum((r) => r.stats.cases),
          sum((r) => r.stats.events),
          sum((r) => r.stats.delivered),
          sum((r) => r.stats.refusedBySchema + r.stats.refusedByDestination),
          `${sum((r) => r.stats.refusedBySchema)} / ${sum((r) => r.stats.refusedByDestination)}`,
          sum((r) => r.stats.rejectedByExtole),
          sum((r) => r.stats.retryable),
          '',
          ''
        ]
      ]
    ),
    '',
    'Checked on every case: a delivered request or a typed refusal (actions-core AggregateAjvError, the destination’s',
    'PayloadValidationError), no uncaught exception, every body valid against Extole’s strict schema, exactly one',
    'Authorization header (the key), the key in no body, message or multistatus entry, no built-in prototype polluted.',
    'Batch actions count events: a case is a batch of 1 to 3.',
    ''
  )
  const failed = results.filter((r) => r.failure || r.uncaught.length > 0 || r.prototypeProblems.length > 0)
  for (const r of failed) {
    print(`   ${LABELS[r.action]} FAILED:`, r.failure ?? '', ...r.uncaught, ...r.prototypeProblems, '')
  }
  return { failures: failed.length, results }
}

async function faultSection(): Promise<{ lost: number; misclassified: number; results: FaultScenarioResult[] }> {
  const started = Date.now()
  const runner = await FaultRunner.start()
  const results: FaultScenarioResult[] = []
  try {
    for (const scenario of FAULT_SCENARIOS) results.push(await runner.run(scenario))
  } finally {
    await runner.stop()
  }
  const rows = results.map((r) => [
    r.scenario,
    r.events,
    r.injected,
    r.survived,
    r.delivered,
    r.reportedRetryable,
    r.reportedFinal,
    r.lost.length,
    `${r.acceptedThenDropped} (${r.expectedAcceptedThenDropped})`,
    r.dedupedOnRedelivery,
    r.misclassified.length === 0 && r.missingAfterRedelivery.length === 0 && r.recordedTwice.length === 0
      ? 'ok'
      : 'FAILED'
  ])
  const sum = (pick: (r: FaultScenarioResult) => number) => results.reduce((total, r) => total + pick(r), 0)
  const kinds = ['429', '503', '5xx', 'html', 'drop', 'drop-after', 'slow'] as const
  const injectedByKind = kinds.map((kind) => `${kind}: ${sum((r) => r.faultCounts[kind])}`).join(', ')
  print(
    `2. Extole faults (emulator on loopback sockets, ${seconds(Date.now() - started)})`,
    '',
    ...table(
      [
        'scenario',
        'events',
        'injected',
        'survived',
        'delivered',
        'retryable',
        'final',
        'lost',
        'accepted+dropped (expected)',
        'deduped on retry',
        'checks'
      ],
      [
        ...rows,
        [
          'total',
          sum((r) => r.events),
          sum((r) => r.injected),
          sum((r) => r.survived),
          sum((r) => r.delivered),
          sum((r) => r.reportedRetryable),
          sum((r) => r.reportedFinal),
          sum((r) => r.lost.length),
          `${sum((r) => r.acceptedThenDropped)} (${sum((r) => r.expectedAcceptedThenDropped)})`,
          sum((r) => r.dedupedOnRedelivery),
          ''
        ]
      ]
    ),
    '',
    `Faults injected by kind (emulator counters): ${injectedByKind}.`,
    'Survived = reported with the right kind and retryability: thrown error type on the single path, multistatus',
    'status/errortype per index on the batch path. Each event has its own partner_conversion_id; “lost” = neither',
    'recorded by the emulator nor reported failed; “accepted+dropped” = recorded AND reported failed, which only a',
    'drop-after fault or a timed-out slow answer may cause (expected = those counters). The retryable events were then',
    'sent again with the faults off: every one recorded exactly once, Extole de-duplicating the accepted ones.',
    ''
  )
  for (const r of results) {
    const problems = [
      ...r.misclassified,
      ...r.lost.map((id) => `lost ${id}`),
      ...r.recordedTwice.map((id) => `twice ${id}`)
    ]
    if (problems.length > 0) print(`   ${r.scenario}:`, ...problems.map((p) => `     ${p}`), '')
  }
  return { lost: sum((r) => r.lost.length), misclassified: sum((r) => r.misclassified.length), results }
}

async function secretsSection(): Promise<{ leaks: number }> {
  const started = Date.now()
  const runner = await SecretsRunner.start()
  const runs: SecretRun[] = []
  const harnessRuns: SecretRun[] = []
  try {
    for (const scenario of SECRET_SCENARIOS) runs.push(await runner.run(scenario))
    for (const scenario of HARNESS_SCENARIOS) harnessRuns.push(await runner.runHarness(scenario))
  } finally {
    await runner.stop()
  }
  const all = [...runs, ...harnessRuns]
  const leaks = all.flatMap((run) => run.leaks.map((leak) => `${run.scenario}: ${leak}`))
  const byPath = new Map<string, { runs: number; leaks: number }>()
  for (const run of all) {
    const path = run.scenario.split(':')[0]
    const entry = byPath.get(path) ?? { runs: 0, leaks: 0 }
    entry.runs++
    entry.leaks += run.leaks.length
    byPath.set(path, entry)
  }
  print(
    `3. Secrets (key ${SECRET_KEY}, ${seconds(Date.now() - started)})`,
    '',
    ...table(
      ['path', 'runs', 'leaks'],
      [...[...byPath].map(([path, entry]) => [path, entry.runs, entry.leaks]), ['total', all.length, leaks.length]]
    ),
    '',
    'Each path ran against an Extole that echoes the Authorization header in its error bodies, headers and HTML: HTTP',
    '400/401/402/403/404/415/429/500/501/502/503, the key as the error code, HTML 502 and 401 pages, a timeout, a',
    'reset, a 200 (GET /v4/tokens returns the key), plus our own validation errors. Searched: thrown errors (message,',
    'stack, JSON.stringify, util.inspect, every own property), action results, multistatus entries, console.* and',
    'process.stdout/stderr during the runs, and every byte of the local harness’s answers (whose recorded requests',
    'must show the Authorization header as <redacted>).',
    ''
  )
  for (const leak of leaks) print(`   LEAK ${leak}`)
  return { leaks: leaks.length }
}

async function main(): Promise<void> {
  const started = Date.now()
  print(
    `Extole destination robustness report (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} cores)`,
    ''
  )
  const hostile = await hostileSection()
  const faults = await faultSection()
  const secrets = await secretsSection()

  const perAction = hostile.results.map((r) => `${LABELS[r.action]} ${r.stats.cases}`).join(', ')
  const sum = (pick: (r: HostileResult) => number) => hostile.results.reduce((total, r) => total + pick(r), 0)
  const faultSum = (pick: (r: FaultScenarioResult) => number) => faults.results.reduce((t, r) => t + pick(r), 0)
  const injected = faultSum((r) => r.injected)
  const survived = faultSum((r) => r.survived)
  const duplicates = faultSum((r) => r.acceptedThenDropped)
  print(
    'Summary',
    '',
    `  cases tried per action           ${perAction}${hostileRuns() === DEFAULT_RUNS ? '' : ' (ROBUSTNESS_RUNS)'}`,
    `  hostile outcomes (events)        delivered ${sum((r) => r.stats.delivered)}, refused by validation ${sum((r) => r.stats.refusedBySchema + r.stats.refusedByDestination)}, rejected by Extole ${sum((r) => r.stats.rejectedByExtole)}, retryable ${sum((r) => r.stats.retryable)}`,
    `  fault-run outcomes (events)      delivered ${faultSum((r) => r.delivered)}, retryable ${faultSum((r) => r.reportedRetryable)}, rejected by Extole (final) ${faultSum((r) => r.reportedFinal)}`,
    `  faults injected / survived       ${injected} / ${survived}`,
    `  events lost                      ${faults.lost}`,
    `  accepted-then-dropped duplicates ${duplicates} (all de-duplicated by Extole on retry: ${faultSum((r) => r.dedupedOnRedelivery)})`,
    `  leaks found                      ${secrets.leaks}`,
    `  property failures                ${hostile.failures}`,
    `  misclassified faults             ${faults.misclassified}`,
    `  total time                       ${seconds(Date.now() - started)}`,
    ''
  )
  const failed = faults.lost > 0 || secrets.leaks > 0 || hostile.failures > 0 || faults.misclassified > 0
  print(failed ? 'RESULT: FAILED' : 'RESULT: ok (nothing lost, nothing leaked)')
  process.exitCode = failed ? 1 : 0
}

main().catch((error: unknown) => {
  console.error(`robustness: ${(error as Error)?.stack ?? String(error)}`)
  process.exitCode = 2
})
