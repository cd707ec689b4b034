import { useState } from 'react'
import { apiFetch, parseError } from './api/http'

/**
 * Downloads a CSV export of the API (a GET with the session cookie) and
 * saves it under the name the API gave. truncated: the export stopped at
 * its row limit (the API's X-Export-Truncated header), which the page says.
 */
export async function downloadCSV(path: string, fallbackName: string): Promise<{ truncated: boolean; rows: number }> {
  const res = await apiFetch(new Request(new URL(path, window.location.origin), { credentials: 'same-origin' }))
  if (!res.ok) throw await parseError(res)
  const text = await res.text()
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  // Rows of data: lines after the header (a quoted cell may hold a newline, so
  // this is a count for people, not a parser).
  const rows = Math.max(0, text.trimEnd().split('\n').length - 1)
  return { truncated: res.headers.get('X-Export-Truncated') === 'true', rows }
}

export type DownloadNotice = { tone: 'success' | 'info' | 'danger'; text: string }

/**
 * A page's CSV export button: busy while it downloads, then one notice
 * (describe words a finished download; a refusal is shown as the API said it).
 */
export function useCSVDownload(notify: (n: DownloadNotice) => void) {
  const [busy, setBusy] = useState(false)
  const run = async (path: string, fallbackName: string, describe: (r: { truncated: boolean; rows: number }) => DownloadNotice) => {
    setBusy(true)
    try {
      notify(describe(await downloadCSV(path, fallbackName)))
    } catch (e) {
      notify({ tone: 'danger', text: e instanceof Error ? e.message : 'The download failed.' })
    } finally {
      setBusy(false)
    }
  }
  return { busy, run }
}
