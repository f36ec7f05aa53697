import nock from 'nock'

/** Recognisable, so any leak into a message or a URL is easy to find. */
export const API_KEY = 'test-extole-key-8f3a1c'
export const settings = { apiKey: API_KEY }
export const EVENTS = 'https://events.extole.io'
export const API = 'https://api.extole.io'
export const TIMESTAMP = '2024-01-15T12:00:00.000Z'

export function extoleError(code: string, status: number, message = `message for ${code}`) {
  return { code, http_status_code: status, message, parameters: {}, unique_id: `uid-${code}` }
}

/** Expects exactly one `POST {events}{path}` with this body and the bearer key, answering with `reply`. */
export function expectEvent(
  path: string,
  body: object,
  status = 200,
  reply: object = { event_id: 'e1', person_id: 'p1' }
) {
  return nock(EVENTS)
    .post(path, (sent) => {
      expect(sent).toEqual(body)
      return true
    })
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .matchHeader('content-type', /application\/json/)
    .reply(status, reply)
}

beforeAll(() => nock.disableNetConnect())
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  expect(pending).toEqual([])
})
afterAll(() => nock.enableNetConnect())
