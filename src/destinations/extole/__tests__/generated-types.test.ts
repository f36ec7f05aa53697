import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = join(__dirname, '..', '..', '..', '..')
// Prettier 3 loads its plugins with dynamic import, which jest's VM refuses, so the generator runs as a child.
const generate = (...args: string[]) =>
  run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'scripts', 'generate-types.ts'), ...args],
    {
      cwd: ROOT
    }
  )

describe('generated types', () => {
  it('are exactly what `npm run generate:types` writes from the field definitions', async () => {
    const { stdout } = await generate('--check')
    expect(stdout).toMatch('generated types are up to date (3 files)')
  })

  it('are reported stale when a committed file differs', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'extole-types-'))
    try {
      cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true })
      writeFileSync(join(copy, 'src/destinations/extole/track/generated-types.ts'), '// edited by hand\n')
      await expect(generate('--check', '--root', copy)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('stale: src/destinations/extole/track/generated-types.ts')
      })
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
