import got, { type Got } from 'got'
import type { Manifest } from './manifest'
import type { HarnessError, HarnessResult } from './run-action'

/** A harness answer plus the HTTP status it came with (200 whenever the call ran, 4xx when the harness refused it). */
export interface HarnessCall extends HarnessResult {
  httpStatus: number
}

export interface HarnessClientOptions {
  /** Per-call timeout in ms. Default 30 s (an action's own Extole timeout is shorter). */
  timeoutMs?: number
}

/** A small got (v11) client for the harness routes, used by `npm start`'s demo and by `npm run replay`. */
export class HarnessClient {
  private readonly http: Got

  constructor(
    readonly baseUrl: string,
    options: HarnessClientOptions = {}
  ) {
    this.http = got.extend({
      prefixUrl: baseUrl,
      responseType: 'json',
      throwHttpErrors: false,
      retry: 0,
      timeout: options.timeoutMs ?? 30_000
    })
  }

  async manifest(): Promise<Manifest> {
    const response = await this.http.get<Manifest>('manifest')
    if (response.statusCode !== 200) throw new Error(`GET /manifest answered HTTP ${response.statusCode}`)
    return response.body
  }

  authenticate(settings: Record<string, unknown>): Promise<HarnessCall> {
    return this.post('authenticate', { settings })
  }

  /** Runs `actionKey` on one event (object) or a batch (array); `mapping` defaults to the action's field defaults. */
  action(
    actionKey: string,
    payload: Record<string, unknown> | Record<string, unknown>[],
    settings: Record<string, unknown>,
    mapping?: Record<string, unknown>
  ): Promise<HarnessCall> {
    return this.post(encodeURIComponent(actionKey), { payload, settings, ...(mapping ? { mapping } : {}) })
  }

  delete(payload: { userId?: string | null; anonymousId?: string | null }, settings: Record<string, unknown>) {
    return this.post('delete', { payload, settings })
  }

  private async post(route: string, json: Record<string, unknown>): Promise<HarnessCall> {
    const response = await this.http.post<unknown>(route, { json })
    return normalize(response.statusCode, response.body)
  }
}

/** A refusal by the harness (`{ ok: false, error: "text" }`) in the same shape as an action's result. */
function normalize(httpStatus: number, body: unknown): HarnessCall {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Partial<HarnessResult> & { error?: unknown }
  if (httpStatus === 200 && typeof record.ok === 'boolean') {
    return { ...(record as HarnessResult), exchanges: record.exchanges ?? [], httpStatus }
  }
  const message = typeof record.error === 'string' ? record.error : `the harness answered HTTP ${httpStatus}`
  const error: HarnessError = { name: 'HarnessRequestError', message, status: httpStatus }
  return { ok: false, exchanges: [], error, httpStatus }
}

/** `GET {emulator}/__emulator/state`: the emulator's persons, events and erasures. */
export async function fetchEmulatorState<T = EmulatorStateView>(emulatorUrl: string): Promise<T> {
  return got(`${emulatorUrl.replace(/\/+$/, '')}/__emulator/state`, { retry: 0, timeout: 10_000 }).json<T>()
}

/** The parts of the emulator's state the harness prints. */
export interface EmulatorStateView {
  persons: Array<{
    person_id: string
    email: string | null
    partner_user_id: string | null
    first_name: string | null
    last_name: string | null
    parameters: Record<string, { value: unknown; visibility: string }>
    events: Array<{ event_name: string; event_id: string }>
  }>
  events: unknown[]
  erasures: Array<{
    email: string | null
    partner_user_id: string | null
    status: string
    persons_erased: number
    events_erased: number
  }>
}
