import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { DEMO_API_KEY, RestExceptionResponseSchema, type Emulator } from '..'

export const ajv = new Ajv({ allErrors: true, strict: true })
addFormats(ajv)
export const validateErrorBody = ajv.compile(RestExceptionResponseSchema)

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export interface CallOptions {
  /** Serialized as JSON with `content-type: application/json` unless `rawBody` is given. */
  json?: unknown
  rawBody?: string
  contentType?: string | null
  /** Bearer key; `null` sends no Authorization header. Default: the demo key. */
  key?: string | null
  headers?: Record<string, string>
}

export interface CallResult {
  status: number
  headers: Headers
  /** Parsed JSON when the response is JSON, else the text. */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string
}

export async function call(
  emu: Emulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? DEMO_API_KEY : options.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  let body: string | undefined = options.rawBody
  if (options.json !== undefined) body = JSON.stringify(options.json)
  const contentType = options.contentType === undefined && body !== undefined ? 'application/json' : options.contentType
  if (contentType) headers['content-type'] = contentType
  const res = await fetch(emu.url + path, { method, headers, body })
  const text = await res.text()
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json')
  return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text, text }
}

/** Asserts an Extole error response: status, code, exact shape (schema) and a fresh uuid `unique_id`. */
export function expectExtoleError(res: CallResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code })
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(validateErrorBody(res.body)).toBe(true)
  expect(Object.keys(res.body).sort()).toEqual(['code', 'http_status_code', 'message', 'parameters', 'unique_id'])
  expect(res.body.http_status_code).toBe(status)
  expect(res.body.parameters).toEqual({})
  expect(res.body.unique_id).toMatch(UUID)
  expect(res.body.message.length).toBeGreaterThan(0)
}

export const postEvent = (emu: Emulator, json: unknown, options: CallOptions = {}): Promise<CallResult> =>
  call(emu, 'POST', '/v6/events', { ...options, json })
