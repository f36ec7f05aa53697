import type { ActionDefinition, DestinationDefinition, RequestClient, RequestOptions } from '@segment/actions-core'
import { redactHeaders, scrubText } from './redact'

/** One HTTP request an action made, and what came back (or why nothing did). */
export interface Exchange {
  request: { url: string; method: string; headers: Record<string, string>; body: unknown }
  response: { statusCode: number; body: unknown } | null
  /** Set when no response arrived (connection refused or reset, timeout). */
  error?: string
}

/** The option key that ties a request's hooks to its exchange; actions-core copies unknown option keys along. */
const EXCHANGE_ID = '__harnessExchangeId'

/** The parts of actions-core's normalized options, request and response the hooks read (not exported by its root). */
interface HookOptions {
  headers?: unknown
  body?: unknown
  [EXCHANGE_ID]?: unknown
}
interface HookRequest {
  url: string
  method: string
  headers: unknown
}
interface HookResponse {
  status: number
  clone(): { text(): Promise<string> }
}

/**
 * Records the exchanges of ONE harness call. The request function handed to the action is wrapped (it knows the URL,
 * and sees network failures), and the `beforeRequest` / `afterResponse` hooks added through `extendRequest` see the
 * final headers and the response. Headers are redacted and the secrets scrubbed as they are recorded, so the raw key
 * is never stored.
 */
export class ExchangeRecorder {
  readonly exchanges: Exchange[] = []
  private readonly byId = new Map<number, Exchange>()
  private nextId = 0

  constructor(private readonly secrets: () => readonly (string | undefined)[]) {}

  readonly beforeRequest = (options: HookOptions): void => {
    const exchange = this.lookup(options)
    if (exchange) exchange.request.headers = redactHeaders(toEntries(options.headers))
  }

  readonly afterResponse = async (
    request: HookRequest,
    options: HookOptions,
    response: HookResponse
  ): Promise<void> => {
    const exchange = this.lookup(options)
    if (!exchange) return
    try {
      exchange.request.url = this.scrub(request.url)
      exchange.request.method = request.method
      exchange.request.headers = redactHeaders(toEntries(request.headers))
      if (typeof options.body === 'string') exchange.request.body = this.parse(options.body)
      const prepared = (response as { content?: unknown }).content
      const text = typeof prepared === 'string' ? prepared : await response.clone().text()
      exchange.response = { statusCode: response.status, body: this.parse(text) }
    } catch (error) {
      exchange.error = this.scrub(`could not record the response: ${(error as Error).message}`)
    }
  }

  /** The request function for one action call: same behaviour, every call recorded. */
  wrap(request: RequestClient): RequestClient {
    const wrapped = async (url: string, options: RequestOptions = {}) => {
      const id = ++this.nextId
      const exchange: Exchange = {
        request: {
          url: this.scrub(url),
          method: String(options.method ?? 'GET').toUpperCase(),
          headers: redactHeaders(options.headers ?? {}),
          body: options.json !== undefined ? this.parse(JSON.stringify(options.json)) : this.bodyOf(options.body)
        },
        response: null
      }
      this.exchanges.push(exchange)
      this.byId.set(id, exchange)
      try {
        return await request(url, { ...options, [EXCHANGE_ID]: id } as RequestOptions)
      } catch (error) {
        if (exchange.response === null) exchange.error = this.scrub(describeNetworkError(error))
        throw error
      }
    }
    return wrapped as RequestClient
  }

  private lookup(options: HookOptions): Exchange | undefined {
    const id = options[EXCHANGE_ID]
    return typeof id === 'number' ? this.byId.get(id) : undefined
  }

  private scrub(text: string): string {
    return scrubText(text, this.secrets())
  }

  private bodyOf(body: unknown): unknown {
    if (body === undefined || body === null) return null
    return typeof body === 'string' ? this.parse(body) : '[binary body]'
  }

  /** JSON when it parses, else the (scrubbed) text; an empty body is null. */
  private parse(text: string): unknown {
    const scrubbed = this.scrub(text)
    if (scrubbed === '') return null
    try {
      return JSON.parse(scrubbed)
    } catch {
      return scrubbed
    }
  }
}

function toEntries(headers: unknown): Iterable<[string, string]> | Record<string, unknown> {
  if (headers && typeof (headers as { forEach?: unknown }).forEach === 'function') {
    const entries: [string, string][] = []
    ;(headers as { forEach(cb: (value: string, name: string) => void): void }).forEach((value, name) =>
      entries.push([name, value])
    )
    return entries
  }
  return (headers as Record<string, unknown>) ?? {}
}

function describeNetworkError(error: unknown): string {
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown }
  const label = [name, code].filter((part) => typeof part === 'string' && part !== '').join(' ')
  return `${label || 'Error'}: ${typeof message === 'string' ? message : String(error)}`
}

type AnyAction = ActionDefinition<unknown>

/**
 * A copy of the definition whose every outbound request goes through `recorder`: `extendRequest` gains the hooks,
 * and `perform`, `performBatch`, `testAuthentication` and `onDelete` receive the wrapped request function.
 */
export function instrumentDefinition<S>(
  definition: DestinationDefinition<S>,
  recorder: ExchangeRecorder
): DestinationDefinition<S> {
  const original = definition.extendRequest
  const actions: Record<string, AnyAction> = {}
  for (const [key, action] of Object.entries(definition.actions as Record<string, AnyAction>)) {
    const { perform, performBatch } = action
    actions[key] = {
      ...action,
      perform: (request, data) => perform(recorder.wrap(request), data),
      ...(performBatch ? { performBatch: (request, data) => performBatch(recorder.wrap(request), data) } : {})
    } as AnyAction
  }
  const authentication = definition.authentication
  const testAuthentication = authentication?.testAuthentication
  const onDelete = definition.onDelete
  return {
    ...definition,
    actions: actions as DestinationDefinition<S>['actions'],
    extendRequest: (data) => {
      const options = original?.(data) ?? {}
      // The hook arrays are not in `RequestOptions`' type, but actions-core merges them like any other option.
      return {
        ...options,
        beforeRequest: [recorder.beforeRequest],
        afterResponse: [recorder.afterResponse]
      } as RequestOptions
    },
    ...(authentication && testAuthentication
      ? {
          authentication: {
            ...authentication,
            testAuthentication: (request, input) => testAuthentication(recorder.wrap(request), input)
          }
        }
      : {}),
    ...(onDelete ? { onDelete: (request, data) => onDelete(recorder.wrap(request), data) } : {})
  }
}
