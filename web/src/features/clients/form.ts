// The create and edit form's model: several phone numbers with exactly one
// primary, several pets, tags typed as a list. The API normalises numbers
// to E.164 and answers per field ("phones[1].number"); those answers are
// mapped back onto the rows the user typed, even when blank rows were left
// out of the request.
import { ApiError } from '../../lib/api/http'
import type { ClientDetailView, ClientRequest } from './types'

export interface PhoneRow {
  key: string
  number: string
  label: string
  primary: boolean
}

export interface PetRow {
  key: string
  name: string
  notes: string
}

export interface ClientFormValues {
  name: string
  phones: PhoneRow[]
  email: string
  address: string
  /** As typed: "weekly, vip". */
  tags: string
  notes: string
  pets: PetRow[]
}

let seq = 0
/** A stable key for a new row (React keys and error mapping). */
export function rowKey(prefix: string): string {
  seq += 1
  return `${prefix}${seq}`
}

export function newPhone(primary = false): PhoneRow {
  return { key: rowKey('phone'), number: '', label: '', primary }
}

export function newPet(): PetRow {
  return { key: rowKey('pet'), name: '', notes: '' }
}

export function emptyClientForm(): ClientFormValues {
  return { name: '', phones: [newPhone(true)], email: '', address: '', tags: '', notes: '', pets: [] }
}

export function formFromClient(c: ClientDetailView): ClientFormValues {
  const phones = c.phones.map((p) => ({ key: rowKey('phone'), number: p.display || p.e164, label: p.label, primary: p.primary }))
  if (phones.length === 0) phones.push(newPhone(true))
  if (!phones.some((p) => p.primary)) phones[0]!.primary = true
  return {
    name: c.name,
    phones,
    email: c.email,
    address: c.address,
    tags: c.tags.join(', '),
    notes: c.notes,
    pets: c.pets.map((p) => ({ key: rowKey('pet'), name: p.name, notes: p.notes })),
  }
}

// ---- The phone list: exactly one primary while there is any number ----

export function addPhone(phones: PhoneRow[]): PhoneRow[] {
  return [...phones, newPhone(phones.length === 0)]
}

export function removePhone(phones: PhoneRow[], key: string): PhoneRow[] {
  const out = phones.filter((p) => p.key !== key)
  if (out.length > 0 && !out.some((p) => p.primary)) out[0] = { ...out[0]!, primary: true }
  return out
}

export function setPrimary(phones: PhoneRow[], key: string): PhoneRow[] {
  return phones.map((p) => ({ ...p, primary: p.key === key }))
}

export function updateRow<T extends { key: string }>(rows: T[], key: string, patch: Partial<T>): T[] {
  return rows.map((r) => (r.key === key ? { ...r, ...patch } : r))
}

export function splitTags(typed: string): string[] {
  return typed
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter(Boolean)
}

/** The request, and which row each phone and pet of it came from. */
export interface BuiltRequest {
  body: ClientRequest
  phoneKeys: string[]
  petKeys: string[]
}

/** Blank phone and pet rows are left out; everything else goes as typed (the API validates). */
export function toRequest(v: ClientFormValues): BuiltRequest {
  const phones = v.phones.filter((p) => p.number.trim() !== '' || p.label.trim() !== '')
  const pets = v.pets.filter((p) => p.name.trim() !== '' || p.notes.trim() !== '')
  // The primary row may have been left blank: then the first one sent is.
  const hasPrimary = phones.some((p) => p.primary)
  return {
    body: {
      name: v.name.trim(),
      phones: phones.map((p, i) => ({ number: p.number.trim(), label: p.label.trim(), primary: hasPrimary ? p.primary : i === 0 })),
      email: v.email.trim(),
      address: v.address.trim(),
      tags: splitTags(v.tags),
      notes: v.notes.trim(),
      pets: pets.map((p) => ({ name: p.name.trim(), notes: p.notes.trim() })),
    },
    phoneKeys: phones.map((p) => p.key),
    petKeys: pets.map((p) => p.key),
  }
}

/** A refused number's holder, to link to. */
export interface TakenBy {
  clientId: string
  clientName: string
}

export interface FormErrors {
  /** Field errors by form field: name, email, phones, tags, address, notes, pets, and `<rowKey>.number` etc. */
  fields: Record<string, string>
  /** The other client holding a row's number, by phone row key. */
  takenBy: Record<string, TakenBy>
  /** A refusal that names no field. */
  message?: string
}

const indexed = /^(phones|pets|tags)\[(\d+)\](?:\.(\w+))?$/

/** The API's refusal mapped onto the form's rows. */
export function formErrors(err: unknown, built: BuiltRequest): FormErrors {
  if (!(err instanceof ApiError)) return { fields: {}, takenBy: {}, message: err instanceof Error ? err.message : 'Something went wrong.' }
  const fields: Record<string, string> = {}
  const takenIdx: number[] = []
  for (const [k, msg] of Object.entries(err.fields)) {
    const m = indexed.exec(k)
    if (!m) {
      fields[k] = msg
      continue
    }
    const [, list, i, sub] = m
    const n = Number(i)
    if (list === 'tags') {
      fields.tags = fields.tags ? `${fields.tags} ${msg}` : msg
      continue
    }
    const key = (list === 'phones' ? built.phoneKeys : built.petKeys)[n]
    if (!key) {
      fields[list!] = msg
      continue
    }
    fields[`${key}.${sub ?? 'number'}`] = msg
    if (list === 'phones' && err.code === 'phone_taken') takenIdx.push(n)
  }
  // The holders come in the order of the phones they hold.
  const takenBy: Record<string, TakenBy> = {}
  const taken = (err.detail as { taken?: { clientId?: string; clientName?: string }[] } | undefined)?.taken ?? []
  takenIdx.sort((a, b) => a - b)
  takenIdx.forEach((n, j) => {
    const t = taken[j]
    const key = built.phoneKeys[n]
    if (t?.clientId && key) takenBy[key] = { clientId: t.clientId, clientName: t.clientName ?? 'another client' }
  })
  const named = Object.keys(fields).length > 0
  return { fields, takenBy, message: named ? undefined : err.message }
}
