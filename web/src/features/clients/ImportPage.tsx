import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Badge, Button, Notice } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { useImportClients } from './api'
import { fileProblem, importRows, importSummary } from './importFile'
import type { ImportResultView } from './types'

// CSV import, with a result for every line of the file, and the export.
export function ImportPage() {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [result, setResult] = useState<ImportResultView | null>(null)
  const [onlyProblems, setOnlyProblems] = useState(false)
  const imp = useImportClients()
  const resultRef = useRef<HTMLHeadingElement>(null)

  // The result may be below the fold: bring it into view for the reader.
  useEffect(() => {
    if (!result) return
    resultRef.current?.focus()
    resultRef.current?.scrollIntoView?.({ block: 'start' })
  }, [result])

  async function submit(e: FormEvent) {
    e.preventDefault()
    const p = fileProblem(file)
    setProblem(p)
    if (p || !file) return
    setResult(null)
    try {
      setResult(await imp.mutateAsync(await file.text()))
    } catch (err) {
      setProblem(err instanceof ApiError ? (err.fields.file ?? err.message) : err instanceof Error ? err.message : 'The import failed.')
    }
  }

  const rows = result ? importRows(result) : []
  const shown = onlyProblems ? rows.filter((r) => !r.ok) : rows

  return (
    <main id="main" className="page page-wide">
      <Link to="/clients" className="crumb">
        ← Clients
      </Link>
      <h1>Import and export clients</h1>

      <div className="client-grid">
        <section className="card" aria-labelledby={`${id}-import`}>
          <h2 id={`${id}-import`}>Import from a CSV file</h2>
          <p>
            The first line names the columns. <strong>name</strong> and <strong>phone</strong> are needed; <strong>email</strong> and <strong>pets</strong> are
            optional. The usual names from booking tools work too (Client Name, Mobile, Email Address, Pet Names).
          </p>
          <p className="muted small">
            Pets: several separated by “;”, notes in brackets, e.g. <code>Rex (beagle); Mia</code>. Phone numbers in any common format. Imported clients
            are opted in to texts.
          </p>
          <form onSubmit={submit} className="form">
            <div className="field">
              <label htmlFor={`${id}-file`}>CSV file</label>
              <input
                ref={input}
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
                {imp.isPending ? 'Importing…' : 'Import clients'}
              </Button>
            </div>
          </form>
        </section>

        <section className="card" aria-labelledby={`${id}-export`}>
          <h2 id={`${id}-export`}>Export</h2>
          <p>Every client, archived ones included: name, phone numbers, email, pets, tags, address, and whether they opted out.</p>
          <a className="btn btn-secondary" href="/api/v1/clients/export" download>
            Export CSV
          </a>
        </section>
      </div>

      {result && (
        <section className="card" aria-labelledby={`${id}-result`} data-testid="import-result">
          <h2 id={`${id}-result`} ref={resultRef} tabIndex={-1}>
            Result
          </h2>
          <Notice tone={result.failed ? 'warning' : 'success'} role="status">
            {importSummary(result)}
          </Notice>
          <div className="row">
            <Badge tone="success">{result.created} imported</Badge>
            {result.failed > 0 && <Badge tone="danger">{result.failed} not imported</Badge>}
            {result.failed > 0 && (
              <label className="check">
                <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Only rows with a problem
              </label>
            )}
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Rows of the file">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Name</th>
                  <th scope="col">Result</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.line} data-testid="import-row" data-status={r.ok ? 'ok' : 'error'}>
                    <td className="num">{r.line}</td>
                    <td>{r.ok && r.clientId ? <Link to={`/clients/${r.clientId}`}>{r.name}</Link> : r.name || <span className="muted">(no name)</span>}</td>
                    <td>{r.ok ? <Badge tone="success">Imported</Badge> : <Badge tone="danger">Error</Badge>}</td>
                    <td className="reason">
                      {r.columns.length > 0 && <span className="muted">{r.columns.join(', ')}: </span>}
                      {r.reason}
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
