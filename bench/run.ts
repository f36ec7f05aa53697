/**
 * `npm run bench [-- --quick | --profile[=a,b] | --zero-events=N ...]`
 *
 * Heap figures need `global.gc`, so without `--expose-gc` this re-runs itself once under
 * `node --expose-gc -r ts-node/register/transpile-only`; everything is measured in that one process (plus the sink's
 * child process).
 */
import { spawnSync } from 'node:child_process'

if (typeof global.gc === 'function') {
  import('./main')
    .then(({ main }) => main(process.argv.slice(2), global.gc as () => void))
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
} else {
  const args = ['--expose-gc', '-r', require.resolve('ts-node/register/transpile-only'), __filename]
  const child = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(child.status ?? 1)
}
