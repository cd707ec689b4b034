import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// A feature never imports another feature (ESLint's no-restricted-imports
// says so too; this also catches relative paths it might miss).
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')
const featuresDir = join(src, 'features')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(n) ? [p] : []
  })
}

function featureOf(path: string): string | null {
  const rel = relative(featuresDir, path)
  return rel.startsWith('..') ? null : (rel.split(sep)[0] ?? null)
}

describe('feature boundaries', () => {
  it('no feature imports another feature', () => {
    const crossings: string[] = []
    for (const f of files(featuresDir)) {
      const own = featureOf(f)
      for (const m of readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1]!
        const target = spec.startsWith('@/') ? join(src, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(f), spec) : null
        const other = target && featureOf(target)
        if (other && other !== own) crossings.push(`${relative(src, f)} imports ${spec}`)
      }
    }
    expect(crossings).toEqual([])
  })

  it('shared code never imports a feature', () => {
    const bad = [...files(join(src, 'components')), ...files(join(src, 'lib'))].filter((f) => /from\s+['"][^'"]*features\//.test(readFileSync(f, 'utf8')))
    expect(bad.map((f) => relative(src, f))).toEqual([])
  })
})
