import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Badge, Button, Notice } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { useImportNumbersCSV } from './api'
import type { ImportView } from './types'
import { classWords, displayNumber, importProblem, importSummary, requestKey } from './words'

// Import numbers the Twilio account owns from a CSV, with a result for
// every line of the file.
export function ImportNumbersPage() {
  const id = useId()
  const [file, setFile] = useState<File | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [result, setResult] = useState<ImportView | null>(null)
  const [onlyProblems, setOnlyProblems] = useState(false)
  const imp = useImportNumbersCSV()
  const resultRef = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    if (!result) return
    resultRef.current?.focus()
    resultRef.current?.scrollIntoView?.({ block: 'start' })
  }, [result])

  async function submit(e: FormEvent) {
    e.preventDefault()
    const p = importProblem(file)
    setProblem(p)
    if (p || !file) return
    setResult(null)
    try {
      setResult(await imp.mutateAsync({ csv: await file.text(), requestId: requestKey() }))
    } catch (err) {
      setProblem(err instanceof ApiError ? (err.fields.file ?? err.message) : err instanceof Error ? err.message : 'The import failed.')
    }
  }

  const rows = result?.rows ?? []
  const shown = onlyProblems ? rows.filter((r) => !r.ok) : rows

  return (
    <main id="main" className="page page-wide">
      <Link to="/numbers" className="crumb">
        ← Numbers
      </Link>
      <h1>Import numbers from a CSV</h1>
      <section className="card" aria-labelledby={`${id}-how`}>
        <h2 id={`${id}-how`}>The file</h2>
        <p>
          One number your Twilio account owns per line, with the columns <code>e164,class,sitter_email,friendly_name</code>. <strong>class</strong> is{' '}
          <code>front_desk</code>, <code>sitter</code> or <code>pool</code>; a sitter number names its sitter by email (or sitter ID). The inventory's own CSV
          download reads back the same way.
        </p>
        <pre className="sample" aria-label="An example file">
          {'e164,class,sitter_email,friendly_name\n+14155550123,pool,,Pool 3\n+14155550124,sitter,sam@example.com,Sam’s line'}
        </pre>
        <form onSubmit={submit} className="form">
          <div className="field">
            <label htmlFor={`${id}-file`}>CSV file</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,text/csv"
              aria-invalid={!!problem || undefined}
              aria-describedby={problem ? `${id}-file-error` : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null)
                setProblem(null)
              }}
            />
            {problem && (
              <p className="field-error" id={`${id}-file-error`} role="alert">
                {problem}
              </p>
            )}
          </div>
          <div>
            <Button type="submit" variant="primary" disabled={imp.isPending} busy={imp.isPending}>
              {imp.isPending ? 'Importing…' : 'Import numbers'}
            </Button>
          </div>
        </form>
      </section>

      {result && (
        <section className="card" aria-labelledby={`${id}-result`} data-testid="import-result">
          <h2 id={`${id}-result`} ref={resultRef} tabIndex={-1}>
            Result
          </h2>
          <Notice tone={result.failed ? 'warning' : 'success'} role="status">
            {importSummary(result)}
          </Notice>
          <div className="row">
            <Badge tone="success">{result.imported} imported</Badge>
            {result.failed > 0 && <Badge tone="danger">{result.failed} not imported</Badge>}
            {result.failed > 0 && (
              <label className="check">
                <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Only lines with a problem
              </label>
            )}
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Lines of the file">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Number</th>
                  <th scope="col">Class</th>
                  <th scope="col">Result</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.line} data-testid="import-row" data-status={r.ok ? 'ok' : 'error'}>
                    <td className="num">{r.line}</td>
                    <td>
                      {r.ok && r.numberId ? (
                        <Link to={`/numbers/${r.numberId}`}>{displayNumber(r.e164)}</Link>
                      ) : r.e164 ? (
                        displayNumber(r.e164)
                      ) : (
                        <span className="muted">(no number)</span>
                      )}
                    </td>
                    <td>{r.class ? (classWords[r.class] ?? r.class) : ''}</td>
                    <td>{r.ok ? <Badge tone="success">Imported</Badge> : <Badge tone="danger">Error</Badge>}</td>
                    <td className="reason">
                      {r.field && <span className="muted">{r.field}: </span>}
                      {r.error}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </main>
  )
}
