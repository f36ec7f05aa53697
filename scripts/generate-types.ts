import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fieldsToJsonSchema } from '@segment/actions-core'
import { compile } from 'json-schema-to-typescript'
import { format } from 'prettier'
import destination from '../src/destinations/extole'

const ROOT = join(__dirname, '..')
const DESTINATION_DIR = join('src', 'destinations', 'extole')
const BANNER = '// Generated file. DO NOT MODIFY IT BY HAND.'

function removeKey(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => removeKey(item, key))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== key)
        .map(([k, v]) => [k, removeKey(v, key)])
    )
  }
  return value
}

/** As Segment's CLI does: JSON schema from the fields, without `title` and `enum`, compiled and formatted. */
async function typesFor(fields: Parameters<typeof fieldsToJsonSchema>[0], name: string): Promise<string> {
  const schema = removeKey(removeKey(fieldsToJsonSchema(fields, { tsType: true }), 'title'), 'enum')
  const source = await compile(schema as Parameters<typeof compile>[0], name, {
    bannerComment: BANNER,
    style: { semi: false, singleQuote: true }
  })
  return format(source, {
    parser: 'typescript',
    semi: false,
    singleQuote: true,
    printWidth: 120,
    trailingComma: 'none'
  })
}

/** Every generated-types.ts of the destination, by path relative to the project root. */
export async function generateAll(): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  const authFields = destination.authentication?.fields ?? {}
  files[join(DESTINATION_DIR, 'generated-types.ts')] = await typesFor(authFields, 'Settings')
  for (const [key, action] of Object.entries(destination.actions)) {
    files[join(DESTINATION_DIR, key, 'generated-types.ts')] = await typesFor(action.fields, 'Payload')
  }
  return files
}

/** `--check` compares instead of writing, for the test suite; `--root DIR` reads another copy of the tree. */
async function main(args: string[]) {
  const rootFlag = args.indexOf('--root')
  const root = rootFlag >= 0 ? args[rootFlag + 1] : ROOT
  const files = await generateAll()
  if (!args.includes('--check')) {
    for (const [file, content] of Object.entries(files)) {
      writeFileSync(join(root, file), content)
      console.log(`wrote ${file}`)
    }
    return 0
  }
  const stale = Object.entries(files)
    .filter(([file, content]) => !existsSync(join(root, file)) || readFileSync(join(root, file), 'utf8') !== content)
    .map(([file]) => file)
  for (const file of stale) console.error(`stale: ${file} differs from what the generator writes`)
  if (stale.length === 0) console.log(`generated types are up to date (${Object.keys(files).length} files)`)
  return stale.length === 0 ? 0 : 1
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error)
      process.exit(2)
    }
  )
}
