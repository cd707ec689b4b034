import type { ImportResultView, ImportRowView } from './types'

// Checks a chosen file before it is sent, and reads the import's answer.

export const MAX_IMPORT_BYTES = 4 << 20

/** Why a chosen file cannot be imported, or null. */
export function fileProblem(file: { name: string; size: number; type: string } | null): string | null {
  if (!file) return 'Choose a CSV file.'
  if (file.size === 0) return 'This file is empty.'
  if (file.size > MAX_IMPORT_BYTES) return 'The file is larger than 4 MB; split it into smaller files.'
  const csvType = file.type === '' || /csv|comma-separated|text\/plain|ms-excel/i.test(file.type)
  if (!/\.(csv|txt)$/i.test(file.name) || !csvType) return 'Choose a .csv file (in a spreadsheet: File → Download or Export → CSV).'
  return null
}

const columnNames: Record<string, string> = { name: 'name', phone: 'phone', email: 'email', pets: 'pets', file: 'file' }

export interface ImportRowLine {
  line: number
  name: string
  ok: boolean
  clientId?: string
  /** Why the row was not imported, with the columns at fault. */
  reason: string
  columns: string[]
}

export function importRows(r: ImportResultView): ImportRowLine[] {
  return r.rows.map((row: ImportRowView) => {
    const columns = Object.keys(row.fields ?? {}).map((k) => columnNames[k] ?? k).sort()
    return { line: row.line, name: row.name, ok: row.status === 'created', clientId: row.clientId, reason: row.error ?? '', columns }
  })
}

export function importSummary(r: ImportResultView): string {
  const rows = r.created + r.failed
  if (rows === 0) return 'The file has no clients under its header line.'
  if (r.failed === 0) return `All ${r.created} ${r.created === 1 ? 'client was' : 'clients were'} imported.`
  return `${r.created} of ${rows} imported; ${r.failed} ${r.failed === 1 ? 'row was' : 'rows were'} not. Fix ${r.failed === 1 ? 'it' : 'them'} in the file and import just ${r.failed === 1 ? 'that row' : 'those rows'} again.`
}
