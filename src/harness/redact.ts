/** What replaces a credential everywhere in a harness response. */
export const REDACTED = '<redacted>'

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie'])
const CREDENTIAL_HEADER_PATTERN = /token|secret|key|auth|cookie|session|password|signature/i

export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return CREDENTIAL_HEADERS.has(lower) || CREDENTIAL_HEADER_PATTERN.test(lower)
}

/** Header names lower-cased, credential values replaced by `<redacted>`. */
export function redactHeaders(headers: Iterable<[string, string]> | Record<string, unknown>): Record<string, string> {
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<[string, string]>) : Object.entries(headers)
  const out: Record<string, string> = {}
  for (const [name, value] of entries) {
    const lower = name.toLowerCase()
    out[lower] = isCredentialHeader(lower) ? REDACTED : String(value)
  }
  return out
}

/**
 * The forms a secret can take inside text we repeat: as is, JSON-escaped (inside a raw JSON body kept as text)
 * and URL-encoded (inside a URL).
 */
function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue
    forms.add(secret)
    forms.add(JSON.stringify(secret).slice(1, -1))
    forms.add(encodeURIComponent(secret))
  }
  // Longest first, so a form containing another is replaced whole.
  return [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length)
}

/** Replaces every occurrence of every secret (in every form) in `text`. */
export function scrubText(text: string, secrets: readonly (string | undefined)[]): string {
  return scrubWith(text, secretForms(secrets))
}

function scrubWith(text: string, forms: readonly string[]): string {
  let out = text
  // A replacement could in theory join two halves into a new occurrence; repeat until stable (bounded).
  for (let round = 0; round < 5; round++) {
    let next = out
    for (const form of forms) next = next.split(form).join(REDACTED)
    if (next === out) break
    out = next
  }
  return out
}

/**
 * A deep copy of `value` that is plain JSON, with every secret replaced in strings and object keys. Errors become
 * `{ name, message }`; functions and symbols are dropped; cycles become `"[circular]"`.
 */
export function scrubSecrets<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const forms = secretForms(secrets)
  const seen = new WeakSet<object>()
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return scrubWith(node, forms)
    if (typeof node === 'bigint') return node.toString()
    if (node === null || typeof node !== 'object') {
      return typeof node === 'function' || typeof node === 'symbol' ? undefined : node
    }
    if (seen.has(node)) return '[circular]'
    seen.add(node)
    try {
      if (Array.isArray(node)) return node.map((item) => walk(item) ?? null)
      if (node instanceof Error) return { name: walk(node.name), message: walk(node.message) }
      const json = (node as { toJSON?: () => unknown }).toJSON
      if (typeof json === 'function') return walk(json.call(node))
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(node)) {
        const scrubbed = walk(item)
        if (scrubbed !== undefined) out[scrubWith(key, forms)] = scrubbed
      }
      return out
    } finally {
      seen.delete(node)
    }
  }
  return walk(value) as T
}
