export { default, createExtoleDestination } from './destinations/extole'
export type { ExtoleConfig } from './destinations/extole'
