import got from 'got'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator'
import { HarnessClient } from '../client'
import { startHarness, type Harness, type HarnessOptions } from '../server'
import { emulatorTarget } from '../targets'

/** Recognisable, so a leak anywhere in a response is easy to spot. */
export const TEST_KEY = 'harness-test-key-5d2e9f0a'
export const settings = { apiKey: TEST_KEY }

export interface Rig {
  emulator: Emulator
  harness: Harness
  client: HarnessClient
  stop(): Promise<void>
}

/** An emulator accepting TEST_KEY and a harness pointed at it, both on free loopback ports. */
export async function startRig(
  emulatorOptions: EmulatorOptions = {},
  harnessOptions: Partial<HarnessOptions> = {}
): Promise<Rig> {
  const emulator = await startEmulator({ apiKeys: [TEST_KEY], ...emulatorOptions })
  const harness = await startHarness({ port: 0, target: emulatorTarget(emulator.url), ...harnessOptions })
  return {
    emulator,
    harness,
    client: new HarnessClient(harness.url),
    stop: async () => {
      await harness.stop()
      await emulator.stop()
    }
  }
}

/** A raw request to the harness: status, headers and the body as text (nothing thrown on 4xx/5xx). */
export async function raw(
  url: string,
  options: { method?: 'GET' | 'POST' | 'OPTIONS'; headers?: Record<string, string>; body?: string } = {}
) {
  const response = await got(url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    throwHttpErrors: false,
    retry: 0,
    timeout: 10_000
  })
  return { status: response.statusCode, headers: response.headers, text: response.body }
}

export const TIMESTAMP = '2024-06-01T10:00:00.000Z'
