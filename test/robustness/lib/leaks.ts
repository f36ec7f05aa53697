import { inspect } from 'node:util'
import { SECRET_KEY } from './constants'

const MAX_NODES = 50_000

/**
 * Where `secret` appears in `value`, or undefined: the message, the stack, `JSON.stringify`, `util.inspect` (what
 * `console.error(error)` prints) and every own property reachable from it (non-enumerable and symbol-keyed ones
 * too, getters not invoked), so a request or a Headers object hidden on an error is found as well.
 *
 * `quick: true` skips the stack and `util.inspect`: formatting a stack (source-mapped under ts-node and jest) costs
 * more than the rest of a hostile-input case, and a stack adds nothing but frames to the message. The secrets test
 * runs the full check on every error path.
 */
export function findSecret(
  value: unknown,
  secret: string = SECRET_KEY,
  options: { quick?: boolean } = {}
): string | undefined {
  if (typeof value === 'string') return value.includes(secret) ? 'string' : undefined
  if (value instanceof Error) {
    if (String(value.message).includes(secret)) return 'message'
    if (!options.quick && String(value.stack).includes(secret)) return 'stack'
  }
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch {
    json = undefined
  }
  if (json?.includes(secret)) return 'JSON.stringify'
  if (!options.quick && inspect(value, { depth: 8, showHidden: true, maxStringLength: null }).includes(secret)) {
    return 'util.inspect'
  }
  return walk(value, secret, options.quick ? new Set(['stack']) : new Set())
}

function walk(root: unknown, secret: string, skip: ReadonlySet<string>): string | undefined {
  const seen = new Set<object>()
  const queue: Array<[unknown, string]> = [[root, '$']]
  while (queue.length > 0 && seen.size < MAX_NODES) {
    const [node, path] = queue.shift() as [unknown, string]
    if (typeof node === 'string') {
      if (node.includes(secret)) return path
      continue
    }
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null || seen.has(node)) continue
    seen.add(node)
    for (const key of Reflect.ownKeys(node)) {
      const name = String(key)
      if (name.includes(secret)) return `${path} key`
      if (skip.has(name)) continue
      const descriptor = Object.getOwnPropertyDescriptor(node, key)
      if (descriptor && 'value' in descriptor) queue.push([descriptor.value, `${path}.${name}`])
    }
    if (node instanceof Map) for (const [k, v] of node) queue.push([k, `${path}<key>`], [v, `${path}<value>`])
    if (node instanceof Set) for (const v of node) queue.push([v, `${path}<item>`])
  }
  return undefined
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace'
const CONSOLE_METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace']

export interface CapturedOutput {
  /** Everything written through console.* and process.stdout / process.stderr since `captureOutput()`. */
  readonly lines: string[]
  /** Puts the originals back. */
  restore(): void
}

/**
 * Records every console call and every write to process.stdout / process.stderr, passing them through unless `echo`
 * is false (the capture's own self-test has nothing worth showing).
 */
export function captureOutput({ echo = true }: { echo?: boolean } = {}): CapturedOutput {
  const lines: string[] = []
  const consoleOriginals = new Map<ConsoleMethod, (...args: unknown[]) => void>()
  for (const method of CONSOLE_METHODS) {
    const original = console[method] as (...args: unknown[]) => void
    consoleOriginals.set(method, original)
    console[method] = (...args: unknown[]) => {
      lines.push(
        `console.${method}: ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' ')}`
      )
      if (echo) original.apply(console, args)
    }
  }
  const streams = [process.stdout, process.stderr] as const
  const writeOriginals = streams.map((stream) => stream.write)
  streams.forEach((stream, index) => {
    const original = writeOriginals[index]
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      lines.push(
        `${index === 0 ? 'stdout' : 'stderr'}: ${typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')}`
      )
      return echo ? (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest) : true
    }) as typeof stream.write
  })
  return {
    lines,
    restore() {
      for (const [method, original] of consoleOriginals) console[method] = original
      streams.forEach((stream, index) => (stream.write = writeOriginals[index]))
    }
  }
}
