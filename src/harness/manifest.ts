import type { DestinationDefinition } from '@segment/actions-core'

export interface ManifestField {
  label: string
  description?: string
  type: string
  required: boolean
  multiple?: boolean
  default?: unknown
  choices?: unknown
}

export interface ManifestAction {
  key: string
  title: string
  description?: string
  defaultSubscription?: string
  supportsBatch: boolean
  fields: Record<string, ManifestField>
}

export interface Manifest {
  name: string
  slug?: string
  mode: string
  description?: string
  settings: Record<string, ManifestField>
  actions: ManifestAction[]
  presets: unknown[]
  supportsDelete: boolean
  supportsAuthentication: boolean
}

interface FieldLike {
  label: string
  description?: string
  type: string
  required?: unknown
  multiple?: boolean
  default?: unknown
  choices?: unknown
}

function summarizeFields(fields: Record<string, FieldLike> | undefined): Record<string, ManifestField> {
  const out: Record<string, ManifestField> = {}
  for (const [key, field] of Object.entries(fields ?? {})) {
    out[key] = {
      label: field.label,
      description: field.description,
      type: field.type,
      // `required` may be a conditional object in actions-core; only a literal `true` is "always required".
      required: field.required === true,
      ...(field.multiple ? { multiple: true } : {}),
      ...(field.default !== undefined ? { default: field.default } : {}),
      ...(field.choices !== undefined ? { choices: field.choices } : {})
    }
  }
  return out
}

/** The destination's definition, summarized for `GET /manifest` (no functions, nothing secret). */
export function buildManifest(definition: DestinationDefinition<unknown>): Manifest {
  return {
    name: definition.name,
    slug: definition.slug,
    mode: definition.mode,
    description: definition.description,
    settings: summarizeFields(definition.authentication?.fields as Record<string, FieldLike> | undefined),
    actions: Object.entries(definition.actions).map(([key, action]) => ({
      key,
      title: action.title,
      description: action.description,
      defaultSubscription: action.defaultSubscription,
      supportsBatch: typeof action.performBatch === 'function',
      fields: summarizeFields(action.fields as Record<string, FieldLike>)
    })),
    presets: JSON.parse(JSON.stringify(definition.presets ?? [])),
    supportsDelete: typeof definition.onDelete === 'function',
    supportsAuthentication: typeof definition.authentication?.testAuthentication === 'function'
  }
}
