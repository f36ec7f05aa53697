import http from 'node:http'
import { defaultValues, Destination, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { createExtoleDestination } from '../src/destinations/extole'
import { API_KEY, FIXED_BODY, trackEvent } from './events'
import { createFloorDestination } from './floor-destination'
import type { Sink } from './sink'

export type PathKey = 'a' | 'b' | 'c10' | 'c100' | 'c1000' | 'd'

export const BATCH_SIZES = [10, 100, 1000] as const
/** The Extole destination's default `batchConcurrency`, which the batch figures run with. */
export const BATCH_CONCURRENCY = 10

export interface Scenario {
  key: PathKey
  label: string
  /** What "in flight" means for this path, printed next to its figure. */
  inFlight: string
  /** The sink base URL this path (and only this path) posts under. */
  base: string
  /** Events handed to this path so far, warm-ups included. */
  sent: number
  /** Events that came back accepted (2xx) so far. */
  accepted: number
  lastError?: string
  /** Sends the next `count` events and resolves once every one of them has its answer. */
  send(count: number): Promise<void>
  /** Empties `Destination.responses`, where actions-core keeps every response it has seen. */
  drain(): void
}

const SUBSCRIBE = 'type = "track"'

function drainResponses(destination: { responses: unknown[] }) {
  destination.responses.length = 0
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight; with 1, strictly one after another. */
async function inLanes(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < count) {
      await task(next++)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane))
}

interface PathSpec extends Pick<Scenario, 'key' | 'label' | 'inFlight' | 'base'> {
  /** Events per call: 1 for onEvent and http.request, the batch size for onBatch. */
  eventsPerCall: number
  /** Calls in flight at once. */
  concurrency: number
  /** Sends events `from`..`from + count - 1` in one call and resolves to how many were accepted. */
  call(from: number, count: number): Promise<number>
  drain(): void
}

function scenario({ eventsPerCall, concurrency, call, drain, ...fields }: PathSpec): Scenario {
  const self: Scenario = {
    ...fields,
    sent: 0,
    accepted: 0,
    drain,
    send: async (count) => {
      const start = self.sent
      self.sent += count
      await inLanes(Math.ceil(count / eventsPerCall), concurrency, async (index) => {
        const from = start + index * eventsPerCall
        const size = Math.min(eventsPerCall, start + count - from)
        try {
          const accepted = await call(from, size)
          self.accepted += accepted
          if (accepted < size) {
            self.lastError = `${size - accepted} of ${size} events in one call not accepted`
          }
        } catch (error) {
          self.lastError = (error as Error).message
        }
      })
    }
  }
  return self
}

/** One event per `Destination.onEvent` call, `concurrency` calls in flight. */
function onEventPath(
  fields: Pick<Scenario, 'key' | 'label' | 'base'>,
  destination: { onEvent(event: SegmentEvent, settings: JSONObject): Promise<unknown>; responses: unknown[] },
  settings: JSONObject,
  concurrency: number
): Scenario {
  return scenario({
    ...fields,
    inFlight: `${concurrency}`,
    eventsPerCall: 1,
    concurrency,
    call: async (from) => {
      await destination.onEvent(trackEvent(from), settings)
      return 1
    },
    drain: () => drainResponses(destination)
  })
}

/** (a) the framework floor through `Destination.onEvent`. */
function floor(sink: Sink, delayMs: number, concurrency: number): Scenario {
  const base = sink.base(delayMs, 'a')
  const destination = new Destination(createFloorDestination(`${base}/v6/events`, FIXED_BODY))
  const settings = { apiKey: API_KEY, subscription: { subscribe: SUBSCRIBE, partnerAction: 'send', mapping: {} } }
  return onEventPath(
    { key: 'a', label: '(a) floor: minimal destination, onEvent', base },
    destination,
    settings,
    concurrency
  )
}

function extole(sink: Sink, delayMs: number, label: string) {
  const base = sink.base(delayMs, label)
  const definition = createExtoleDestination({ eventsBaseUrl: base, apiBaseUrl: base })
  const mapping = defaultValues(definition.actions.track.fields) as JSONObject
  return { base, destination: new Destination(definition), mapping }
}

/** (b) the Extole track action's single-event path through `Destination.onEvent`. */
function single(sink: Sink, delayMs: number, concurrency: number): Scenario {
  const { base, destination, mapping } = extole(sink, delayMs, 'b')
  const settings = { apiKey: API_KEY, subscription: { subscribe: SUBSCRIBE, partnerAction: 'track', mapping } }
  return onEventPath({ key: 'b', label: '(b) Extole track, onEvent', base }, destination, settings, concurrency)
}

/** (c) the Extole track action's batch path through `Destination.onBatch`, one batch call at a time. */
function batch(sink: Sink, delayMs: number, size: (typeof BATCH_SIZES)[number]): Scenario {
  const key = `c${size}` as PathKey
  const { base, destination, mapping } = extole(sink, delayMs, key)
  const subscription = {
    subscribe: SUBSCRIBE,
    partnerAction: 'track',
    mapping: { ...mapping, enable_batching: true, batch_size: size }
  }
  return scenario({
    key,
    label: `(c) Extole track, onBatch, batch ${size}`,
    inFlight: `1 batch (≤${BATCH_CONCURRENCY} req)`,
    base,
    eventsPerCall: size,
    concurrency: 1,
    call: async (from, count) => {
      const events = Array.from({ length: count }, (_, k) => trackEvent(from + k))
      const [result] = await destination.onBatch(events, { apiKey: API_KEY, subscription })
      return (result?.multistatus ?? []).filter(({ status }) => status >= 200 && status < 300).length
    },
    drain: () => drainResponses(destination)
  })
}

/** POSTs `body` with node:http over `agent` and reads the JSON answer, as a minimal hand-written client would. */
function postJson(agent: http.Agent, url: URL, body: object): Promise<number> {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload)
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'))
          resolve(res.statusCode ?? 0)
        })
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** (d) no framework: `http.request` with a keep-alive agent posting the same fixed body. */
function plain(sink: Sink, delayMs: number, concurrency: number): Scenario {
  const base = sink.base(delayMs, 'd')
  const url = new URL(`${base}/v6/events`)
  const agent = new http.Agent({ keepAlive: true })
  return scenario({
    key: 'd',
    label: '(d) plain http.request, keep-alive',
    inFlight: `${concurrency}`,
    base,
    eventsPerCall: 1,
    concurrency,
    call: async () => {
      const status = await postJson(agent, url, FIXED_BODY)
      return status >= 200 && status < 300 ? 1 : 0
    },
    drain: () => undefined
  })
}

/** Every bench path against the sink answering after `delayMs`, each under its own counted base URL. */
export function buildScenarios(sink: Sink, delayMs: number, singleConcurrency: number): Scenario[] {
  return [
    floor(sink, delayMs, singleConcurrency),
    single(sink, delayMs, singleConcurrency),
    ...BATCH_SIZES.map((size) => batch(sink, delayMs, size)),
    plain(sink, delayMs, singleConcurrency)
  ]
}
