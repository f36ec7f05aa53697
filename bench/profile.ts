import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import os from 'node:os'
import path from 'node:path'
import type { BenchOptions } from './options'
import { analyse, compare, format, merge, type Analysis, type CpuProfile } from './profile-summary'
import { buildScenarios, type Scenario } from './scenarios'
import { startSink } from './sink'

const CHUNKS = 5
const SAMPLING_US = 200

interface Profiled {
  scenario: Scenario
  analysis?: Analysis
  events: number
  file?: string
}

/** Profiles `options.profileEvents` events through one path, in the given slice of the interleaved schedule. */
async function profileChunk(session: Session, target: Profiled, events: number): Promise<void> {
  target.scenario.drain()
  await session.post('Profiler.start')
  for (let done = 0; done < events; done += 1000) {
    await target.scenario.send(Math.min(1000, events - done))
    target.scenario.drain()
  }
  const { profile } = await session.post('Profiler.stop')
  const analysis = analyse(profile as unknown as CpuProfile)
  target.analysis = target.analysis ? merge(target.analysis, analysis) : analysis
  target.events += events
  if (!target.file) {
    target.file = path.join(os.tmpdir(), `extole-bench-${target.scenario.key}-${Date.now()}.cpuprofile`)
    writeFileSync(target.file, JSON.stringify(profile))
  }
}

/**
 * Profiles zero-latency paths with V8's CPU profiler (the sampler behind `node --cpu-prof`), started after the warm-up
 * so start-up and compilation stay out. With several paths, their profiled chunks are interleaved like the bench's
 * rounds, so machine noise falls on each alike; the first chunk of each is kept as a `.cpuprofile` for DevTools.
 */
export async function runProfiles(options: BenchOptions, gc: () => void): Promise<void> {
  const sink = await startSink()
  const session = new Session()
  session.connect()
  try {
    const scenarios = buildScenarios(sink, 0, options.singleConcurrency)
    const targets: Profiled[] = options.profile.map((key) => {
      const scenario = scenarios.find((s) => s.key === key)
      if (!scenario) {
        throw new Error(`--profile: unknown path "${key}" (use ${scenarios.map((s) => s.key).join(', ')})`)
      }
      return { scenario, events: 0 }
    })
    for (const target of targets) {
      await target.scenario.send(options.zeroWarmup)
    }
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_US })
    const perChunk = Math.max(1, Math.round(options.profileEvents / CHUNKS))
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      for (const target of targets) {
        gc()
        await profileChunk(session, target, perChunk)
      }
    }
    for (const { scenario, analysis, events, file } of targets) {
      console.log(`\n== profile: ${scenario.label}, zero-latency sink, ${SAMPLING_US} µs sampling ==`)
      console.log(`one chunk's raw profile: ${file}`)
      console.log(format(analysis as Analysis, { events }))
    }
    for (const target of targets.slice(1)) {
      const side = (t: Profiled) => ({
        label: `(${t.scenario.key})`,
        analysis: t.analysis as Analysis,
        events: t.events
      })
      console.log(`\n== ${side(target).label} against ${side(targets[0]).label}, CPU per event ==`)
      console.log(compare(side(targets[0]), side(target)))
    }
  } finally {
    session.disconnect()
    await sink.close()
  }
}
