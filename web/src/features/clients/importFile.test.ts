import { fileProblem, importRows, importSummary } from './importFile'
import { mergeLines } from './merge'
import { clientFiltersFromParams, clientFiltersToParams, clientQuery } from './filters'
import { numberChoices } from './numbers'
import type { NumberView } from './types'

describe('fileProblem', () => {
  it('accepts a CSV and refuses what the import cannot take', () => {
    expect(fileProblem({ name: 'clients.csv', size: 120, type: 'text/csv' })).toBeNull()
    expect(fileProblem({ name: 'export.CSV', size: 120, type: '' })).toBeNull()
    expect(fileProblem({ name: 'clients.xlsx', size: 120, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).toMatch(/\.csv/)
    expect(fileProblem({ name: 'clients.csv', size: 0, type: 'text/csv' })).toMatch(/empty/)
    expect(fileProblem({ name: 'clients.csv', size: 5 << 20, type: 'text/csv' })).toMatch(/4 MB/)
    expect(fileProblem(null)).toMatch(/Choose/)
  })
})

describe('import results', () => {
  const result = {
    created: 2,
    failed: 1,
    rows: [
      { line: 2, name: 'Rio Park', status: 'created', clientId: 'c1' },
      { line: 3, name: 'No Number', status: 'failed', error: 'Add at least one phone number.', fields: { phone: 'Add at least one phone number.' } },
      { line: 4, name: 'Sky', status: 'created', clientId: 'c2' },
    ],
  }
  it('gives one line per row with the column at fault', () => {
    const rows = importRows(result)
    expect(rows.map((r) => [r.line, r.ok])).toEqual([[2, true], [3, false], [4, true]])
    expect(rows[1]).toMatchObject({ reason: 'Add at least one phone number.', columns: ['phone'] })
  })
  it('sums it up', () => {
    expect(importSummary(result)).toMatch(/^2 of 3 imported; 1 row was not/)
    expect(importSummary({ created: 5, failed: 0, rows: [] })).toBe('All 5 clients were imported.')
    expect(importSummary({ created: 0, failed: 0, rows: [] })).toMatch(/no clients/)
  })
})

describe('mergeLines', () => {
  it('says what moves, and nothing about what does not', () => {
    const lines = mergeLines({ threads: 1, threadsJoined: 1, messages: 3, history: 5, windows: 0, phones: 1, pets: 0, consentFollowed: true })
    expect(lines).toEqual([
      '2 conversations (1 joined into an existing conversation on the same number).',
      '5 messages of history.',
      '1 phone number, kept as an extra number.',
      'Their opt-out: no texts to the merged client until they opt in again.',
    ])
    expect(mergeLines({ threads: 0, threadsJoined: 0, messages: 0, history: 0, windows: 0, phones: 0, pets: 0, consentFollowed: false })).toEqual(['Nothing but the record itself.'])
  })
})

describe('client filters in the URL', () => {
  it('round-trips and drops unknown values', () => {
    const f = clientFiltersFromParams(new URLSearchParams('q=%20avery%20&archived=bogus&tag=VIP'))
    expect(f).toEqual({ q: 'avery', archived: '', tag: 'vip' })
    expect(clientFiltersToParams({ ...f, archived: 'only' }).toString()).toBe('q=avery&archived=only&tag=vip')
    expect(clientQuery({ q: '', archived: '', tag: '' })).toEqual({})
  })
})

describe('numberChoices', () => {
  it('offers active numbers only, the front desk first', () => {
    const n = (id: string, cls: string, status: string, name: string, e164: string) => ({ id, class: cls, status, friendlyName: name, e164, display: e164 }) as unknown as NumberView
    const choices = numberChoices([
      n('s', 'sitter', 'active', "Sam's line", '+14155550110'),
      n('q', 'pool', 'quarantined', 'Pool 2', '+14155550121'),
      n('p', 'pool', 'active', 'Pool 1', '+14155550120'),
      n('f', 'front_desk', 'active', 'Front desk', '+14155550100'),
    ])
    expect(choices.map((c) => c.id)).toEqual(['f', 'p', 's'])
    expect(choices[0]!.label).toBe('Front desk · +14155550100')
    expect(choices[2]!.label).toBe("Sitter line: Sam's line · +14155550110")
  })
})
