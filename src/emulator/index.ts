export {
  startEmulator,
  DEMO_API_KEY,
  DEFAULT_CLIENT_ID,
  DEFAULT_MAX_BODY_BYTES,
  CONTROL_ROUTES,
  type Emulator,
  type EmulatorOptions,
  type EmulatorState
} from './server'
export {
  FAULT_HEADER,
  LATENCY_HEADER,
  FAULT_KINDS,
  HEADER_FAULTS,
  DEFAULT_SLOW_MS,
  DEFAULT_SEED,
  mulberry32,
  validateFaultOptions,
  type FaultKind,
  type FaultOptions
} from './faults'
export { EXTOLE_ERRORS, extoleError, type ExtoleErrorBody, type ExtoleErrorCode } from './errors'
export {
  RESERVED_DATA_KEYS,
  type EventRecord,
  type ErasureRecord,
  type PersonRecord,
  type PersonParameter
} from './store'
export type { RequestLogEntry, RequestStats } from './request-log'
export { API_ROUTES } from './routes'
export * from './extole-schemas'
