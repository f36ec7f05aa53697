import { DEFAULT_EXTOLE_CONFIG } from '../destinations/extole/extole-api'
import type { HarnessTarget } from './run-action'

/** Extole's production hosts: only `npm start -- --real-extole` (with `EXTOLE_API_KEY`) points the harness there. */
export const REAL_EXTOLE_TARGET: Readonly<HarnessTarget> = Object.freeze({
  apiBaseUrl: DEFAULT_EXTOLE_CONFIG.apiBaseUrl,
  eventsBaseUrl: DEFAULT_EXTOLE_CONFIG.eventsBaseUrl
})

/** Both hosts at one emulator URL. */
export function emulatorTarget(url: string): HarnessTarget {
  return { apiBaseUrl: url, eventsBaseUrl: url }
}
