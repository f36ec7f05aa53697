import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../../..')

export interface Child {
  process: ChildProcess
  output(): string
  errors(): string
  /** Resolves with the first match of `pattern` in stdout, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (or the signal name), or rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>
}

/** Runs a TypeScript script the way the npm scripts do (ts-node, transpile only). */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exit = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown'))
  )

  return {
    process: child,
    output: () => stdout,
    errors: () => stderr,
    waitFor: (pattern, timeoutMs = 25_000) =>
      new Promise((done, fail) => {
        const check = () => {
          const match = stdout.match(pattern)
          if (match) {
            cleanup()
            done(match)
          }
        }
        const onExit = () => {
          check()
          cleanup()
          fail(new Error(`exited before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`))
        }
        const timer = setTimeout(() => {
          cleanup()
          fail(new Error(`timed out waiting for ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          child.stdout!.off('data', check)
          child.off('exit', onExit)
        }
        child.stdout!.on('data', check)
        child.on('exit', onExit)
        check()
      }),
    exited: (timeoutMs = 25_000) =>
      Promise.race([
        exit,
        new Promise<never>((_, fail) =>
          setTimeout(
            () => fail(new Error(`still running after ${timeoutMs} ms\n${stdout}\n${stderr}`)),
            timeoutMs
          ).unref()
        )
      ])
  }
}
