// The client book's API views, from the generated OpenAPI types.
import type { components } from '../../lib/api/schema'

type S = components['schemas']

export type ClientView = S['ClientView']
export type ClientDetailView = S['ClientDetailView']
export type ClientPage = S['ClientPage']
export type ClientRequest = S['ClientRequest']
export type ImportResultView = S['ImportResultView']
export type ImportRowView = S['ImportRowView']
export type MergePreviewView = S['MergePreviewView']
export type MergedView = S['MergedView']
export type NumberView = S['NumberView']
export type OpenedView = S['OpenedView']
export type ThreadView = S['ThreadView']
export type WindowView = S['WindowView']
