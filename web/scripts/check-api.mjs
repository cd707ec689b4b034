// Fails when src/lib/api/schema.d.ts is not what `npm run gen:api` makes
// from ../api/openapi.json (the API's OpenAPI document).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const doc = '../api/openapi.json'
const committed = 'src/lib/api/schema.d.ts'
if (!existsSync(doc)) {
  console.error(`check:api: ${doc} is missing; the API's OpenAPI document must exist to check the generated types.`)
  process.exit(1)
}
const dir = mkdtempSync(join(tmpdir(), 'snout-api-'))
try {
  const fresh = join(dir, 'schema.d.ts')
  execFileSync('npx', ['openapi-typescript', doc, '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] })
  const want = readFileSync(fresh, 'utf8')
  const have = existsSync(committed) ? readFileSync(committed, 'utf8') : ''
  if (want !== have) {
    console.error(`check:api: ${committed} is stale. Run \`npm run gen:api\` in web/ and commit the result.`)
    process.exit(1)
  }
  console.log(`check:api: ${committed} matches ${doc}.`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
