import type { InputField, JSONObject, JSONValue } from '@segment/actions-core'

/** mulberry32: small, seedable and stable across Node versions, so snapshots only move when the fields do. */
function random(seedName: string): () => number {
  let seed = [...seedName].reduce((hash, ch) => (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0, 7)
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Seeded values for an action's fields, the way the monorepo's snapshot tests fill them: all or required only. */
export function generateTestData(
  seedName: string,
  fields: Record<string, InputField>,
  requiredOnly: boolean
): JSONObject {
  const next = random(seedName)
  const word = () => Math.floor(next() * 36 ** 8).toString(36)
  const valueFor = (key: string, field: InputField): JSONValue => {
    if (/email/i.test(key)) return `${word()}@${word()}.com`
    switch (field.type) {
      case 'datetime':
        return new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 1e11)).toISOString()
      case 'number':
      case 'integer':
        return Math.floor((field.minimum ?? 0) + next() * ((field.maximum ?? 1000) - (field.minimum ?? 0)))
      case 'boolean':
        return next() < 0.5
      case 'object':
        return { [word()]: word(), count: Math.floor(next() * 100), flag: next() < 0.5 }
      default:
        return word()
    }
  }
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, field]) => !requiredOnly || field.required)
      .map(([key, field]) => [key, valueFor(key, field)])
  )
}
