import AxeBuilder from '@axe-core/playwright'
import { expect, request, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const password = process.env.E2E_PASSWORD ?? 'e2e-demo-password'
export const simURL = process.env.E2E_SIM_URL ?? 'http://127.0.0.1:8090'
export const apiURL = process.env.E2E_API_URL ?? process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080'

// The demo seed (dev/seed).
export const demo = {
  owner: 'owner@demo.test',
  admin: 'admin@demo.test',
  sam: 'sam@demo.test',
  otherOwner: 'owner@other.test',
  org: 'Happy Tails Pet Sitting',
  frontDesk: '+14155550100',
  gray: { name: 'Gray Williams', phone: '+16505550107' },
  frankie: { name: 'Frankie Rossi', phone: '+16505550106' },
  avery: { name: 'Avery Johnson', phone: '+16505550101' },
}

/** Every demo client's number, in the ways a page could write it. */
export function clientPhoneForms(): string[] {
  const forms: string[] = []
  for (let n = 101; n <= 119; n++) {
    const last = `0${n}`
    forms.push(`+1650555${last}`, `650555${last}`, `650 555 ${last}`, `(650) 555-${last}`, `650-555-${last}`, `555-${last}`)
  }
  return forms
}

const shotsDir = join(dirname(fileURLToPath(import.meta.url)), 'screenshots')
mkdirSync(shotsDir, { recursive: true })

/** Screenshots of the page at desktop and phone widths, and dark at desktop width (e2e/screenshots, ignored by git). */
export async function shot(page: Page, name: string) {
  const before = page.viewportSize()
  for (const [label, width, height, scheme] of [['1280', 1280, 800, 'light'], ['375', 375, 740, 'light'], ['1280-dark', 1280, 800, 'dark']] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150)
    await page.screenshot({ path: join(shotsDir, `${name}-${label}.png`), fullPage: false })
  }
  await page.emulateMedia({ colorScheme: 'light' })
  if (before) await page.setViewportSize(before)
}

/** axe-core finds no serious or critical violation (WCAG 2.1 A and AA). */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  expect(bad, `accessibility of ${what}`).toEqual([])
}

export async function signIn(page: Page, email: string, pw = password) {
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(pw)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function sim(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: simURL })
}

export async function textIn(from: string, to: string, body: string) {
  const s = await sim()
  const r = await s.post('/_sim/inbound', { data: { from, to, body } })
  expect(r.ok(), await r.text()).toBeTruthy()
  await s.dispose()
}

export async function addFault(fault: { to: string; error_code: number; mode: 'create' | 'callback'; status?: string }) {
  const s = await sim()
  const r = await s.post('/_sim/faults', { data: fault })
  expect(r.ok(), await r.text()).toBeTruthy()
  await s.dispose()
}

export async function clearFaults() {
  const s = await sim()
  await s.delete('/_sim/faults')
  await s.dispose()
}

/** An API client signed in with a Bearer token (no browser). */
export async function apiAs(email: string): Promise<APIRequestContext> {
  const anon = await request.newContext({ baseURL: apiURL })
  const r = await anon.post('/api/v1/auth/login', { data: { email, password } })
  expect(r.ok(), await r.text()).toBeTruthy()
  const { token } = (await r.json()) as { token: string }
  await anon.dispose()
  return request.newContext({ baseURL: apiURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } })
}

export const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
export const isoPattern = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
