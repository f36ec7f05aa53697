/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof` or the bench's `--profile` mode): top functions by self
 * time, self time by component (ajv, mapping-kit, node-fetch, our code...), and inclusive time of the steps
 * actions-core runs per event.
 *
 *   npx ts-node --transpile-only bench/profile-summary.ts some.cpuprofile [top]
 */
import { readFileSync } from 'node:fs'
import { table } from './report'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
export interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

const CORE = 'node_modules/@segment/actions-core/dist/cjs/'
const COMPONENTS: [string, RegExp][] = [
  ['our destination (src/destinations/extole)', /\/src\/destinations\/extole\//],
  ['bench harness', /\/bench\//],
  [
    'validation: ajv, ajv-formats, dayjs, actions-core glue',
    new RegExp(
      `node_modules/(ajv|ajv-formats|dayjs|@segment/ajv-human-errors)/|${CORE}(schema-validation|remove-empty-values|arrify)`
    )
  ],
  [
    'actions-core mapping-kit (+ get, real-type-of)',
    new RegExp(`${CORE}(mapping-kit/|get\\.js|real-type-of|remove-undefined)`)
  ],
  ['actions-core request client', new RegExp(`${CORE}(request-client|create-request-client|fetch|middleware/)`)],
  ['actions-core destination-kit (onEvent plumbing)', new RegExp(`${CORE}(destination-kit/|retry)`)],
  ['actions-core other', /@segment\/actions-core\//],
  ['FQL (destination-subscriptions, fql-ts)', /node_modules\/@segment\/(destination-subscriptions|fql-ts)\//],
  [
    'node-fetch / cross-fetch / whatwg-url',
    /node_modules\/(node-fetch|cross-fetch|whatwg-url|tr46|webidl-conversions)\//
  ],
  ['node http / net / streams', /^node:(_http|http|net|stream|internal\/(http|net|stream|streams|js_stream))/],
  ['node other (timers, events, url, abort, ...)', /^node:/]
]

function component({ functionName, url }: CallFrame): string {
  if (!url) {
    return /^\(.*\)$/.test(functionName) ? functionName : 'V8 builtins / native'
  }
  const known = COMPONENTS.find(([, pattern]) => pattern.test(url))?.[0]
  return known ?? `other: ${/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? shortUrl(url)}`
}

const isOurs = (f: CallFrame) => /\/src\/destinations\/extole\//.test(f.url)
const isHttpClient = (f: CallFrame) =>
  /actions-core\/dist\/cjs\/(request-client|create-request-client)|node_modules\/node-fetch\//.test(f.url)

/**
 * Per-event steps, timed inclusively: a sample counts once if the step is anywhere on its (synchronous) stack, unless
 * a `stopAt` frame sits between it and the sampled function.
 */
const STEPS: { label: string; match: (f: CallFrame) => boolean; stopAt?: (f: CallFrame) => boolean }[] = [
  { label: 'Destination.onSubscriptions (all sync work)', match: (f) => f.functionName === 'onSubscriptions' },
  {
    label: 'FQL parse + match (parseFql, validate)',
    match: (f) => /@segment\/destination-subscriptions\//.test(f.url)
  },
  { label: 'settings validation (validateSettings)', match: (f) => f.functionName === 'validateSettings' },
  { label: 'mapping-kit transform (validate + resolve)', match: (f) => /^transform(Batch)?$/.test(f.functionName) },
  { label: '  of which mapping validation', match: (f) => /mapping-kit\/validate/.test(f.url) },
  { label: 'removeEmptyValues', match: (f) => f.functionName === 'removeEmptyValues' },
  { label: 'payload validation (validateSchema)', match: (f) => f.functionName === 'validateSchema' },
  { label: 'our perform code, without the request it makes', match: isOurs, stopAt: isHttpClient },
  { label: 'request client + node-fetch (sync part)', match: isHttpClient },
  { label: 'JSON.stringify / JSON.parse', match: (f) => !f.url && /^(stringify|parse)$/.test(f.functionName) },
  { label: 'garbage collector', match: (f) => f.functionName === '(garbage collector)' }
]

const shortUrl = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')

export interface Analysis {
  totalMs: number
  idleMs: number
  /** Self time per function (`name  file:line`). */
  self: Map<string, { ms: number; component: string }>
  /** Self time per component. */
  components: Map<string, number>
  /** Inclusive time per `STEPS` label. */
  steps: Map<string, number>
}

const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms)

export function analyse(profile: CpuProfile): Analysis {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id)
    }
  }
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  const result: Analysis = { totalMs: 0, idleMs: 0, self: new Map(), components: new Map(), steps: new Map() }
  for (let i = 0; i < samples.length; i++) {
    // A sample lasts until the next one is taken.
    const ms = (i + 1 < deltas.length ? deltas[i + 1] : 0) / 1000
    const node = byId.get(samples[i])
    if (!node) {
      continue
    }
    result.totalMs += ms
    const frame = node.callFrame
    if (frame.functionName === '(idle)') {
      result.idleMs += ms
      continue
    }
    const key = `${frame.functionName || '(anonymous)'}  ${frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''}`
    const entry = result.self.get(key) ?? { ms: 0, component: component(frame) }
    entry.ms += ms
    result.self.set(key, entry)
    add(result.components, entry.component, ms)
    const settled = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const callFrame = byId.get(id)?.callFrame
      for (const { label, match, stopAt } of STEPS) {
        if (!callFrame || settled.has(label)) {
          continue
        }
        if (match(callFrame)) {
          add(result.steps, label, ms)
          settled.add(label)
        } else if (stopAt?.(callFrame)) {
          settled.add(label)
        }
      }
    }
  }
  return result
}

export function merge(into: Analysis, from: Analysis): Analysis {
  into.totalMs += from.totalMs
  into.idleMs += from.idleMs
  for (const [key, { ms, component }] of from.self) {
    const entry = into.self.get(key) ?? { ms: 0, component }
    entry.ms += ms
    into.self.set(key, entry)
  }
  for (const [key, ms] of from.components) {
    add(into.components, key, ms)
  }
  for (const [key, ms] of from.steps) {
    add(into.steps, key, ms)
  }
  return into
}

/** The summary tables; with `events`, every figure also gets its cost per event in µs. */
export function format(analysis: Analysis, { top = 25, events }: { top?: number; events?: number } = {}): string {
  const busy = analysis.totalMs - analysis.idleMs
  const cells = (ms: number) => [
    `${ms.toFixed(0)} ms`,
    `${((100 * ms) / busy).toFixed(1)}%`,
    ...(events ? [`${((1000 * ms) / events).toFixed(1)}`] : [])
  ]
  const heads = (first: string) => [first, 'time', '% busy', ...(events ? ['µs/event'] : [])]
  const byTime = [...analysis.components.entries()].sort((x, y) => y[1] - x[1])
  const topSelf = [...analysis.self.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, top)
  return [
    `profiled ${(analysis.totalMs / 1000).toFixed(2)} s: busy ${(busy / 1000).toFixed(2)} s, idle (waiting on the sink) ` +
      `${(analysis.idleMs / 1000).toFixed(2)} s${events ? `, ${events} events` : ''}; percentages are of busy time`,
    '',
    table(
      heads('component (self time)'),
      byTime.map(([name, ms]) => [name, ...cells(ms)])
    ),
    '',
    table(
      heads('per-event step (inclusive, sync)'),
      STEPS.map(({ label }) => [label, ...cells(analysis.steps.get(label) ?? 0)])
    ),
    '',
    table(
      [...heads(`top ${top} functions by self time`), 'component'],
      topSelf.map(([name, { ms, component }]) => [name, ...cells(ms), component])
    )
  ].join('\n')
}

/** Where `other` spends more CPU per event than `base`: components and steps, in µs per event, largest first. */
export function compare(
  base: { label: string; analysis: Analysis; events: number },
  other: { label: string; analysis: Analysis; events: number }
): string {
  const perEvent = (side: typeof base, ms: number) => (1000 * ms) / side.events
  const busy = (side: typeof base) => perEvent(side, side.analysis.totalMs - side.analysis.idleMs)
  const rows = (pick: (a: Analysis) => Map<string, number>, names: string[]) =>
    names
      .map((name) => {
        const [x, y] = [
          perEvent(base, pick(base.analysis).get(name) ?? 0),
          perEvent(other, pick(other.analysis).get(name) ?? 0)
        ]
        return { name, x, y, diff: y - x }
      })
      .sort((p, q) => q.diff - p.diff)
      .map(({ name, x, y, diff }) => [name, x.toFixed(1), y.toFixed(1), `${diff >= 0 ? '+' : ''}${diff.toFixed(1)}`])
  const components = [...new Set([...base.analysis.components.keys(), ...other.analysis.components.keys()])]
  const headers = (first: string) => [first, `${base.label} µs/ev`, `${other.label} µs/ev`, 'difference']
  return [
    `busy CPU per event: ${base.label} ${busy(base).toFixed(1)} µs, ${other.label} ${busy(other).toFixed(1)} µs ` +
      `(${other.label} = ${(busy(base) / busy(other)).toFixed(3)} × ${base.label} in events per busy second)`,
    '',
    table(
      headers('component (self time)'),
      rows((a) => a.components, components)
    ),
    '',
    table(
      headers('per-event step (inclusive, sync)'),
      rows(
        (a) => a.steps,
        STEPS.map((step) => step.label)
      )
    )
  ].join('\n')
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2)
  if (!file) {
    console.error('usage: ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top]')
    process.exit(2)
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  console.log(format(analyse(profile), { top: top ? Number(top) : undefined }))
}
