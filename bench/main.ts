import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FIXED_BODY } from './events'
import { heapGrowth, type HeapResult } from './heap'
import { measureInterleaved, medianCpuRatio, medianRatio, type PathResult } from './measure'
import { describeOptions, parseOptions, type BenchOptions } from './options'
import { runProfiles } from './profile'
import { heapTable, runTable, targetTable, type Target } from './report'
import { BATCH_CONCURRENCY, buildScenarios, type Scenario } from './scenarios'
import { startSink, type Sink } from './sink'

const batchSize = (s: Scenario) => (s.key.startsWith('c') ? Number(s.key.slice(1)) : 0)

function actionsCoreVersion(): string {
  const entry = require.resolve('@segment/actions-core')
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

function header(options: BenchOptions, sink: Sink): string {
  const cpus = os.cpus()
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  return [
    `Extole destination bench${options.quick ? ' (--quick: smoke run, figures not meaningful)' : ''}`,
    `node ${process.version}, @segment/actions-core ${actionsCoreVersion()}, ${cpus.length} × ${cpus[0]?.model}, ` +
      `load average ${load}`,
    `counts: ${describeOptions(options)}`,
    `sink: node:http in a child process at ${sink.origin} (its CPU stays off the measured event loop)`,
    `in flight: (a), (b), (d) send ${options.singleConcurrency} event(s) at a time (${
      options.singleConcurrency === 1 ? 'each awaits the previous answer, ' : ''
    }as Segment's single path does per call); (c) runs one onBatch call at a time and the destination sends up to ` +
      `${BATCH_CONCURRENCY} requests of it at once (its default batchConcurrency)`,
    'figures: median events/s over interleaved rounds (path order rotates each round, gc before every measurement); ' +
      '÷ columns: median of the per-round ratios; CPU µs/event: user+system time of this process (all its threads) ' +
      'per event; CPU ÷ (a): (a)’s CPU per event over this path’s, per round, median',
    `heap runs: zero-latency sink, after ${options.zeroWarmup} warm-up events; the single path runs ` +
      `${options.heapConcurrency} onEvent calls in flight, the batch path one onBatch call at a time`
  ].join('\n')
}

/** Checks that (b) puts the same bytes on the wire as the fixed body (a) and (d) post. */
async function bodyParity(sink: Sink): Promise<string> {
  const { samples } = await sink.stats()
  const expected = JSON.stringify(FIXED_BODY)
  const checks = ['a', 'b', 'd'].map((label) => {
    const body = samples[`/0/${label}/v6/events`]
    return `(${label}) ${body === expected ? 'same bytes' : `DIFFERS: ${body}`}`
  })
  return `body parity for event 0 (${Buffer.byteLength(expected)} bytes): ${checks.join(', ')}`
}

function targets(zero: PathResult[], delayed: PathResult[], heap: HeapResult[], options: BenchOptions): Target[] {
  const zeroRatio = medianRatio(zero, 'b', 'a')
  const zeroCpuRatio = medianCpuRatio(zero, 'b', 'a')
  const delayedRatio = medianRatio(delayed, 'c100', 'b')
  const heapTargets = heap
    .filter((h) => h.drained)
    .map((h) => ({
      name: `heap growth < 20 MB over ${h.events.toLocaleString('en-US')} events: ${h.label}`,
      measured: `${h.growthMB.toFixed(2)} MB`,
      pass: h.growthMB < 20
    }))
  const all = [...zero, ...delayed, ...heap]
  const exact = all.filter((r) => r.requests === r.events)
  return [
    {
      name: 'zero-latency sink: (b) ≥ 0.9 × (a)',
      measured: `${zeroRatio.toFixed(3)} × (a) (by CPU/event: ${zeroCpuRatio.toFixed(3)})`,
      pass: zeroRatio >= 0.9
    },
    {
      name: `${options.delayMs} ms sink: (c) batch 100 ≥ 8 × (b)`,
      measured: `${delayedRatio.toFixed(2)} × (b)`,
      pass: delayedRatio >= 8
    },
    ...heapTargets,
    {
      name: 'exactly one HTTP request per event, every path and run',
      measured: `${exact.length} of ${all.length} path runs exact`,
      pass: exact.length === all.length
    }
  ]
}

export async function main(argv: string[], gc: () => void): Promise<void> {
  const options = parseOptions(argv)
  if (options.profile.length > 0) {
    return runProfiles(options, gc)
  }
  const sink = await startSink()
  const began = Date.now()
  try {
    console.log(header(options, sink))

    const zeroScenarios = buildScenarios(sink, 0, options.singleConcurrency)
    const zero = await measureInterleaved(zeroScenarios, sink, {
      rounds: options.zeroRounds,
      warmup: () => options.zeroWarmup,
      events: () => options.zeroEvents,
      gc
    })
    const zeroTitle = `\n== zero-latency sink (CPU cost per event): ${options.zeroRounds} rounds × ${options.zeroEvents} events per path, ${options.zeroWarmup} warm-up ==`
    console.log(runTable({ title: zeroTitle, results: zero }))

    const delayed = await measureInterleaved(buildScenarios(sink, options.delayMs, options.singleConcurrency), sink, {
      rounds: options.delayedRounds,
      warmup: (s) => (batchSize(s) ? Math.min(batchSize(s), options.delayedBatch) : 10),
      events: (s) => (batchSize(s) ? options.delayedBatch : options.delayedSingle),
      gc
    })
    const delayedTitle = `\n== ${options.delayMs} ms sink (network-bound): ${options.delayedRounds} rounds × ${options.delayedSingle} events per single path, ${options.delayedBatch} per batch path ==`
    console.log(runTable({ title: delayedTitle, results: delayed }))

    const heapScenarios = buildScenarios(sink, 0, options.heapConcurrency)
    const [single, batch100] = ['b', 'c100'].map((key) => heapScenarios.find((s) => s.key === key) as Scenario)
    for (const scenario of [single, batch100]) {
      await scenario.send(options.zeroWarmup)
    }
    const heap = [
      await heapGrowth(single, sink, options.heapEvents, gc),
      await heapGrowth(batch100, sink, options.heapEvents, gc),
      await heapGrowth(single, sink, options.retentionEvents, gc, { drain: false })
    ]
    console.log(`\n== heap (zero-latency sink; heapUsed after gc, end − start) ==\n${heapTable(heap)}`)
    console.log(
      '[responses kept]: actions-core pushes every response onto Destination.responses and never empties it; the other ' +
        'runs empty it every 1,000 events, as a long-running host must. Its cost applies to every destination alike.'
    )

    console.log(`\n${await bodyParity(sink)}`)
    const results = targets(zero, delayed, heap, options)
    console.log(`\n== targets ==\n${targetTable(results)}`)
    if (results.some((t) => !t.pass)) {
      console.log('a target was MISSED: `npm run bench -- --profile` shows where (b) spends its CPU against (a)')
    }
    console.log(`\ntotal ${((Date.now() - began) / 1000).toFixed(0)} s, load average ${os.loadavg()[0].toFixed(2)}`)
  } finally {
    await sink.close()
  }
}
