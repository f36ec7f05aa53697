import { classify, formatSummary, parseLine, progressBar, progressReporter } from '../replay'
import type { HarnessCall } from '../client'

const call = (partial: Partial<HarnessCall>): HarnessCall => ({ ok: false, exchanges: [], httpStatus: 200, ...partial })
const exchange = (statusCode: number | null) => ({
  request: { url: 'http://e/v6/events', method: 'POST', headers: {}, body: {} },
  response: statusCode === null ? null : { statusCode, body: {} },
  ...(statusCode === null ? { error: 'FetchError ECONNRESET: socket hang up' } : {})
})

describe('parseLine', () => {
  it('maps identify, track and delete lines', () => {
    expect(parseLine('{"type":"identify","userId":"u"}')).toEqual({
      kind: 'identify',
      payload: { type: 'identify', userId: 'u' }
    })
    expect(parseLine('{"type":"track","event":"e"}')).toMatchObject({ kind: 'track' })
    expect(parseLine('{"type":"delete","userId":"u","extra":1}')).toEqual({
      kind: 'delete',
      payload: { userId: 'u', anonymousId: undefined }
    })
  })

  it.each([
    ['{"type":', /not valid JSON/],
    ['[1,2]', /not a JSON object/],
    ['"identify"', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"userId":"u"}', /no "type"/],
    ['{"type":"page"}', /unsupported type "page"/]
  ])('calls %s malformed', (text, reason) => {
    const parsed = parseLine(text)
    expect(parsed.kind).toBe('malformed')
    expect(parsed.kind === 'malformed' && parsed.reason).toMatch(reason)
  })
})

describe('classify', () => {
  it('sorts harness answers into outcomes', () => {
    expect(classify(call({ ok: true }))).toBe('delivered')
    expect(classify(call({ error: { name: 'PayloadValidationError', message: 'x', status: 400 } }))).toBe('refused')
    expect(classify(call({ error: { name: 'AggregateAjvError', message: 'x' } }))).toBe('refused')
    expect(
      classify(call({ exchanges: [exchange(400)], error: { name: 'IntegrationError', message: 'x', status: 400 } }))
    ).toBe('rejected')
    expect(
      classify(call({ exchanges: [exchange(401)], error: { name: 'InvalidAuthenticationError', message: 'x' } }))
    ).toBe('rejected')
    expect(
      classify(call({ exchanges: [exchange(429)], error: { name: 'RetryableError', message: 'x', status: 429 } }))
    ).toBe('retryable')
    expect(classify(call({ exchanges: [exchange(null)], error: { name: 'RetryableError', message: 'x' } }))).toBe(
      'retryable'
    )
    expect(classify(call({ exchanges: [exchange(502)], error: { name: 'Error', message: 'x', status: 502 } }))).toBe(
      'retryable'
    )
    expect(classify(call({ httpStatus: 413, error: { name: 'HarnessRequestError', message: 'x', status: 413 } }))).toBe(
      'malformed'
    )
  })
})

describe('progress', () => {
  it('draws a bar', () => {
    expect(progressBar(0, 4, 4)).toBe('[----] 0/4   0%')
    expect(progressBar(2, 4, 4)).toBe('[##--] 2/4  50%')
    expect(progressBar(4, 4, 4)).toBe('[####] 4/4 100%')
  })

  it('stays quiet for short files off a terminal, reports by tenths for long ones', () => {
    const written: string[] = []
    const stream = { write: (text: string) => written.push(text), isTTY: false }
    expect(progressReporter(stream, 50)).toBeUndefined()
    const report = progressReporter(stream, 100)!
    for (let done = 1; done <= 100; done++) report(done, 100)
    expect(written).toHaveLength(10)
    expect(written[9]).toMatch(/100\/100 100%\n$/)
  })
})

describe('formatSummary', () => {
  it('lists the failures with their line numbers, then the counts', () => {
    const lines = formatSummary({
      total: 3,
      counts: { delivered: 1, refused: 1, rejected: 0, retryable: 0, malformed: 1 },
      failures: [
        { line: 2, outcome: 'refused', message: 'track: PayloadValidationError [400]: no identity' },
        { line: 5, outcome: 'malformed', message: 'not valid JSON' }
      ]
    })
    expect(lines).toEqual([
      'line 2: refused by validation: track: PayloadValidationError [400]: no identity',
      'line 5: malformed: not valid JSON',
      '',
      '3 event line(s):',
      '  delivered              1',
      '  refused by validation  1',
      '  rejected by Extole     0',
      '  retryable              0',
      '  malformed              1'
    ])
  })
})
