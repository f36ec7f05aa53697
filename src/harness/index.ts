export { startHarness, HARNESS_ROUTES, type Harness, type HarnessOptions } from './server'
export {
  runAction,
  runAuthenticate,
  runDelete,
  buildDefinition,
  toHarnessError,
  HarnessRequestError,
  type HarnessConfig,
  type HarnessError,
  type HarnessResult,
  type HarnessTarget
} from './run-action'
export { ExchangeRecorder, instrumentDefinition, type Exchange } from './recorder'
export { buildManifest, type Manifest, type ManifestAction, type ManifestField } from './manifest'
export { REDACTED, isCredentialHeader, redactHeaders, scrubSecrets, scrubText } from './redact'
export { corsHeaders, isAllowedOrigin } from './cors'
export {
  HarnessClient,
  fetchEmulatorState,
  type HarnessCall,
  type HarnessClientOptions,
  type EmulatorStateView
} from './client'
export { REAL_EXTOLE_TARGET, emulatorTarget } from './targets'
export { demoSteps, runDemo, type DemoStep } from './demo'
export { formatOutcome, formatProfiles, formatRequest, formatResponse, jsLiteral } from './format'
export {
  classify,
  formatSummary,
  parseLine,
  progressBar,
  progressReporter,
  replayText,
  OUTCOME_LABELS,
  type LineReport,
  type Outcome,
  type ReplayLine,
  type ReplayOptions,
  type ReplaySummary
} from './replay'
