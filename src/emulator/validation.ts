const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2})(?::?(\d{2}))?)$/i

/**
 * True for an ISO 8601 date-time with an offset, e.g. `2024-01-15T12:00:00Z`, `2024-01-15T12:00:00.123+02:00`,
 * `2024-01-15T12:00Z`. Date-only values, missing offsets and impossible dates (2023-02-29, 24:00) are rejected.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = ISO_DATE_TIME.exec(value)
  if (!m) return false
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number)
  const second = m[6] === undefined ? 0 : Number(m[6])
  const offsetHours = m[8] === undefined ? 0 : Number(m[8])
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[9])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  if (hour > 23 || minute > 59 || second > 59) return false
  return offsetHours <= 18 && offsetMinutes <= 59
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** True for `application/json` with optional parameters (`; charset=utf-8`), case-insensitive. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false
  return header.split(';')[0].trim().toLowerCase() === 'application/json'
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: 'missing_request_body' | 'invalid_json' }

/** Parses a JSON request body; an empty or whitespace-only body is `missing_request_body`. */
export function parseJsonBody(raw: Buffer): ParsedBody {
  const text = raw.toString('utf8')
  if (text.trim() === '') return { ok: false, error: 'missing_request_body' }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, error: 'invalid_json' }
  }
}

/** Strings are kept, finite numbers are converted (`123` → `'123'`); anything else is `undefined`. */
export function asIdentifier(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}
