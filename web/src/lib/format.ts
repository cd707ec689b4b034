// Times and numbers as people read them: in the business's own time zone,
// never a raw UTC stamp.

export function formatDateTime(iso: string | Date, timeZone?: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat('en-US', {
    timeZone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  }).format(d)
}

/** A compact time for lists: the time today, the weekday this week, else the date. */
export function formatListTime(iso: string, timeZone?: string, now: Date = new Date()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const dayKey = (x: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(x)
  if (dayKey(d) === dayKey(now)) {
    return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(d)
  }
  const sixDays = 6 * 24 * 3600 * 1000
  if (now.getTime() - d.getTime() < sixDays && d.getTime() <= now.getTime()) {
    return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(d)
  }
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' }).format(d)
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(n)
}

/** An E.164 number for display: +1 (650) 555-0100 for North America. */
export function formatPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164)
  return m ? `+1 (${m[1]}) ${m[2]}-${m[3]}` : e164
}
