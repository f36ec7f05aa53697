import type { IncomingMessage } from 'node:http'

/** Segment's Actions Tester and local pages: the only origins a browser may call the harness from. */
const ALLOWED_ORIGINS = new Set(['https://app.segment.com', 'https://app.segment.build'])
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/

export function isAllowedOrigin(origin: string): boolean {
  return ALLOWED_ORIGINS.has(origin) || LOOPBACK_ORIGIN.test(origin)
}

/**
 * CORS headers for a request: none without an `Origin` or for an origin that is not admitted. Preflights also get
 * the methods, the headers the browser asked for (Content-Type and the like) and, for Chrome's Private Network Access
 * (a public page calling a loopback server), `Access-Control-Allow-Private-Network`.
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin
  if (typeof origin !== 'string' || !isAllowedOrigin(origin)) return {}
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' }
  if (req.method === 'OPTIONS') {
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS'
    headers['access-control-allow-headers'] = allowedRequestHeaders(req.headers['access-control-request-headers'])
    headers['access-control-max-age'] = '600'
    if (req.headers['access-control-request-private-network'] === 'true') {
      headers['access-control-allow-private-network'] = 'true'
    }
  }
  return headers
}

function allowedRequestHeaders(requested: string | undefined): string {
  const names = (requested ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => /^[a-z0-9-]+$/.test(name))
  return [...new Set(['content-type', ...names])].join(', ')
}
