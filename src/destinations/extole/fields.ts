import type { InputField } from '@segment/actions-core'

/** Extole's own upper bound would be the queue; this one keeps a Segment batch within one function invocation. */
export const MAX_BATCH_SIZE = 1000

const path = (p: string) => ({ '@path': p })
const firstOf = (...paths: string[]): InputField['default'] =>
  paths
    .slice(0, -1)
    .reduceRight<InputField['default']>(
      (otherwise, p) => ({ '@if': { exists: path(p), then: path(p), else: otherwise } }),
      path(paths[paths.length - 1])
    )

/** A string field whose default is the first of `paths` that exists in the event. */
const mappedString =
  (label: string, description: string) =>
  (...paths: string[]): InputField => ({ label, description, type: 'string', default: firstOf(...paths) })

export const partner_user_id = mappedString(
  'Partner User ID',
  'Your own identifier for the person, stored by Extole as `partner_user_id`. Extole needs it or an email on every event.'
)

export const email = mappedString(
  'Email',
  'The person’s email address: Extole’s primary identity key and the only one that merges profiles.'
)

export const first_name = mappedString(
  'First Name',
  'The person’s first name, stored on the Extole profile as `first_name`.'
)

export const last_name = mappedString(
  'Last Name',
  'The person’s last name, stored on the Extole profile as `last_name`.'
)

export const event_time: InputField = {
  label: 'Event Time',
  description:
    'When the event happened: an ISO 8601 date-time (read as UTC when it has no offset) or epoch milliseconds. Defaults to the Segment timestamp.',
  type: 'datetime',
  default: path('$.timestamp')
}

export const enable_batching: InputField = {
  label: 'Enable Batching',
  description:
    'Send events to Extole in batches through its high-volume endpoint. Each event still gets its own result.',
  type: 'boolean',
  default: false
}

export const batch_size: InputField = {
  label: 'Batch Size',
  description: `Maximum number of events in one batch (1 to ${MAX_BATCH_SIZE}).`,
  type: 'number',
  minimum: 1,
  maximum: MAX_BATCH_SIZE,
  default: 100,
  unsafe_hidden: true
}
