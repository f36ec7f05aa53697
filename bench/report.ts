import type { HeapResult } from './heap'
import { median, medianCpuRatio, medianRatio, type PathResult } from './measure'

export interface RunReport {
  title: string
  results: PathResult[]
}

export interface Target {
  name: string
  measured: string
  pass: boolean
}

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a')

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)))
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export const requestsPerEvent = (r: { requests: number; events: number }) => r.requests / r.events

export function runTable({ title, results }: RunReport): string {
  const rows = results.map((r) => [
    r.label,
    r.inFlight,
    int(median(r.rates)),
    `${int(Math.min(...r.rates))}–${int(Math.max(...r.rates))}`,
    ratio(medianRatio(results, r.key, 'a')),
    ratio(medianRatio(results, r.key, 'b')),
    int(median(r.cpuUs)),
    ratio(medianCpuRatio(results, r.key, 'a')),
    `${requestsPerEvent(r).toFixed(3)} (${int(r.requests)}/${int(r.events)})`,
    r.accepted === r.events ? 'all' : `${int(r.accepted)} (${r.lastError ?? 'no error recorded'})`
  ])
  const headers = [
    'path',
    'in flight',
    'events/s',
    'min–max',
    '÷ (a)',
    '÷ (b)',
    'CPU µs/event',
    'CPU ÷ (a)',
    'requests/event',
    'accepted'
  ]
  return `${title}\n${table(headers, rows)}`
}

export function heapTable(results: HeapResult[]): string {
  const rows = results.map((h) => [
    `${h.label}${h.drained ? '' : ' [responses kept]'}`,
    h.inFlight,
    int(h.events),
    `${h.startMB.toFixed(1)} MB`,
    `${h.endMB.toFixed(1)} MB`,
    `${h.growthMB >= 0 ? '+' : ''}${h.growthMB.toFixed(2)} MB`,
    `${((h.growthMB * 1024 * 1024) / h.events).toFixed(0)} B`,
    int(h.events / h.seconds),
    `${requestsPerEvent(h).toFixed(3)}`,
    h.accepted === h.events ? 'all' : int(h.accepted)
  ])
  const headers = [
    'heap run',
    'in flight',
    'events',
    'start',
    'end',
    'growth',
    'per event',
    'events/s',
    'req/event',
    'accepted'
  ]
  return table(headers, rows)
}

export function targetTable(targets: Target[]): string {
  const rows = targets.map((t) => [t.name, t.measured, t.pass ? 'pass' : '*** MISSED ***'])
  return table(['target', 'measured', 'result'], rows)
}
