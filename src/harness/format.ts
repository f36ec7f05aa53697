import type { EmulatorStateView } from './client'
import type { Exchange } from './recorder'
import type { HarnessResult } from './run-action'

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A value as it would be written in JavaScript source: `{ email: 'a@b.co', age: 25 }` (one line). */
export function jsLiteral(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined)
    if (entries.length === 0) return '{}'
    const parts = entries.map(([key, item]) => `${IDENTIFIER.test(key) ? key : jsLiteral(key)}: ${jsLiteral(item)}`)
    return `{ ${parts.join(', ')} }`
  }
  return String(value)
}

/** `POST http://…/v6/events {"event_name":…}` */
export function formatRequest(exchange: Exchange): string {
  const body = exchange.request.body === null ? '' : ` ${JSON.stringify(exchange.request.body)}`
  return `${exchange.request.method} ${exchange.request.url}${body}`
}

/** `200 {"event_id":…}`, or why no answer came. */
export function formatResponse(exchange: Exchange): string {
  if (!exchange.response) return `no response (${exchange.error ?? 'unknown error'})`
  const body = exchange.response.body === null ? '' : ` ${JSON.stringify(exchange.response.body)}`
  return `${exchange.response.statusCode}${body}`
}

/** The outcome lines of one harness call: each Extole request and its answer, then the error if any. */
export function formatOutcome(result: HarnessResult, indent = '    '): string[] {
  const lines: string[] = []
  for (const exchange of result.exchanges) {
    lines.push(`${indent}-> ${formatRequest(exchange)}`)
    lines.push(`${indent}<- ${formatResponse(exchange)}`)
  }
  if (result.exchanges.length === 0) lines.push(`${indent}-> (no request sent to Extole)`)
  if (result.error) {
    const status = result.error.status !== undefined ? ` [${result.error.status}]` : ''
    lines.push(`${indent}!! ${result.error.name}${status}: ${result.error.message}`)
  } else if (result.multistatus) {
    const statuses = result.multistatus.map((node) => (node as { status?: unknown }).status)
    lines.push(`${indent}multistatus: ${statuses.join(', ')}`)
  }
  return lines
}

/** The emulator's profiles, one block per person, then the erasures. */
export function formatProfiles(state: EmulatorStateView, indent = '  '): string[] {
  const lines: string[] = []
  if (state.persons.length === 0) lines.push(`${indent}(no profiles)`)
  for (const person of state.persons) {
    const name = [person.first_name, person.last_name].filter(Boolean).join(' ')
    const who = [
      person.email ? `email ${person.email}` : undefined,
      person.partner_user_id ? `partner_user_id ${person.partner_user_id}` : undefined,
      name ? `name ${name}` : undefined
    ].filter(Boolean)
    lines.push(`${indent}person ${person.person_id}: ${who.join(', ')}`)
    const parameters = Object.entries(person.parameters).map(([key, p]) => `${key}=${JSON.stringify(p.value)}`)
    lines.push(`${indent}  parameters (PUBLIC): ${parameters.length ? parameters.join(', ') : '(none)'}`)
    lines.push(`${indent}  events: ${person.events.map((event) => event.event_name).join(', ') || '(none)'}`)
  }
  for (const erasure of state.erasures) {
    const target = erasure.partner_user_id ? `partner_user_id ${erasure.partner_user_id}` : `email ${erasure.email}`
    lines.push(
      `${indent}erasure of ${target}: ${erasure.status}, ${erasure.persons_erased} person(s) and ${erasure.events_erased} event(s) erased`
    )
  }
  return lines
}
