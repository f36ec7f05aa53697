import { getToken, submitErasure, submitEvent, type Handler } from './handlers'

export interface Route {
  method: 'GET' | 'POST'
  /** Template used in logs and `state.requests.byRoute`, e.g. `/v6/events/{event_name}`. */
  template: string
  pattern: RegExp
  /** Names of the pattern's capture groups, in order. */
  params: readonly string[]
  handler: Handler
}

/** Extole API routes served by the emulator. All of them require `Authorization: Bearer <key>`. */
export const API_ROUTES: readonly Route[] = [
  { method: 'GET', template: '/v4/tokens', pattern: /^\/v4\/tokens$/, params: [], handler: getToken },
  {
    method: 'POST',
    template: '/v6/events',
    pattern: /^\/v6\/events$/,
    params: [],
    handler: submitEvent({ async: false, named: false })
  },
  {
    method: 'POST',
    template: '/v6/events/{event_name}',
    pattern: /^\/v6\/events\/([^/]*)$/,
    params: ['event_name'],
    handler: submitEvent({ async: false, named: true })
  },
  {
    method: 'POST',
    template: '/v6/async-events',
    pattern: /^\/v6\/async-events$/,
    params: [],
    handler: submitEvent({ async: true, named: false })
  },
  {
    method: 'POST',
    template: '/v6/async-events/{event_name}',
    pattern: /^\/v6\/async-events\/([^/]*)$/,
    params: ['event_name'],
    handler: submitEvent({ async: true, named: true })
  },
  { method: 'POST', template: '/v4/erasures', pattern: /^\/v4\/erasures$/, params: [], handler: submitErasure }
]

export type RouteMatch =
  | { kind: 'matched'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed'; template: string; allowed: string[] }
  | { kind: 'bad_path'; template: string }
  | { kind: 'not_found' }

export function matchRoute(method: string, path: string): RouteMatch {
  const candidates = API_ROUTES.filter((route) => route.pattern.test(path))
  if (candidates.length === 0) return { kind: 'not_found' }
  const route = candidates.find((r) => r.method === method)
  if (!route) {
    return { kind: 'method_not_allowed', template: candidates[0].template, allowed: candidates.map((r) => r.method) }
  }
  const values = route.pattern.exec(path)?.slice(1) ?? []
  const params: Record<string, string> = {}
  try {
    route.params.forEach((name, i) => (params[name] = decodeURIComponent(values[i] ?? '')))
  } catch {
    return { kind: 'bad_path', template: route.template }
  }
  return { kind: 'matched', route, params }
}
