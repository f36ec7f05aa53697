import { FAULT_SCENARIOS, FaultRunner, signatureOf, type FaultScenario } from './lib/faults'

/**
 * Extole faults over real loopback sockets (the emulator, no nock): 429 and 503 bursts, 20% random 5xx, answers
 * slower than the timeout, connections dropped before and after Extole accepted the event, an HTML error page, all
 * of them mixed, and two final (non-retryable) controls. Each event carries a unique partner_conversion_id, so what
 * was sent is joined with what the emulator recorded.
 */

let runner: FaultRunner

beforeAll(async () => {
  runner = await FaultRunner.start()
})
afterAll(async () => {
  await runner.stop()
})

const name = (scenario: FaultScenario) => scenario.name

describe.each(FAULT_SCENARIOS.map((scenario) => [name(scenario), scenario] as const))('%s', (_name, scenario) => {
  it('classifies every injected fault, loses nothing and counts accepted-then-dropped events exactly', async () => {
    const result = await runner.run(scenario)

    // Faults were really injected, and each one was reported with the right kind and retryability, on the single
    // path (thrown error) and per index on the batch path (multistatus status and errortype).
    expect(result.injected).toBeGreaterThan(0)
    expect(result.misclassified).toEqual([])
    expect(result.survived).toBe(result.injected)
    expect(result.delivered + result.reportedRetryable + result.reportedFinal).toBe(result.events)

    // Loss: every event is recorded by Extole or reported failed at its index.
    expect(result.lost).toEqual([])

    // Recorded AND reported failed only where the connection died after Extole accepted the event, exactly as many
    // times as the emulator injected drop-after faults and slow answers.
    expect(result.acceptedThenDropped).toBe(result.expectedAcceptedThenDropped)
    if (scenario.faults.dropAfterRate || scenario.faults.latencyMs) {
      expect(result.acceptedThenDropped).toBeGreaterThan(0)
    } else {
      expect(result.acceptedThenDropped).toBe(0)
    }

    // Segment's retry of the retryable events: Extole keeps one copy of each conversion, the accepted-then-dropped
    // ones recognised as duplicates by partner_conversion_id.
    expect(result.dedupedOnRedelivery).toBe(result.acceptedThenDropped)
    expect(result.recordedTwice).toEqual([])
    expect(result.missingAfterRedelivery).toEqual([])
    expect(result.recordedOnce).toBe(result.delivered + result.reportedRetryable)
  })
})

describe('the classification the scenarios rely on', () => {
  it.each([
    [504, 'Extole did not answer in time', 'slow'],
    [503, 'Extole could not be reached (ECONNRESET)', 'drop'],
    [502, 'Extole could not take the request now, HTTP 502: a non-JSON body (HTTP 502)', 'html'],
    [429, 'Extole could not take the request now, HTTP 429: retry later (code too_many_requests, unique_id u)', '429'],
    [504, 'Extole could not take the request now, HTTP 504: did not answer in time (code gateway_timeout)', '5xx'],
    [400, "Extole's program rules blocked this event, HTTP 400: no (code event_blocked)", 'blocked'],
    [401, 'Extole rejected the API key, HTTP 401: no (code method_unauthorized)', 'auth'],
    [500, 'Unexpected error while calling Extole', 'other']
  ])('reads HTTP %i “%s” as %s', (status, message, signature) => {
    expect(signatureOf(status, message)).toBe(signature)
  })
})
