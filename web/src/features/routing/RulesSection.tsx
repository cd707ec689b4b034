import { useEffect, useMemo, useRef, useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Badge, Button, ErrorState, LoadingList, Notice } from '../../components/ui'
import { formatCount, formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useDeleteRule, useNumberChoices, useReorderRules, useRules, useUpdateRule, type Rule } from './api'
import { RuleForm } from './RuleForm'
import { conditionWords, moveRule, targetWords } from './words'

type Editing = { rule: Rule | null } | null

// The rules table: the order they are tried, what each takes and where it
// sends it, how often it fired; owners reorder, switch, add, edit, delete.
export function RulesSection({ canChange }: { canChange: boolean }) {
  const rules = useRules()
  const numbers = useNumberChoices()
  const { timeZone } = useSession()
  const reorder = useReorderRules()
  const update = useUpdateRule()
  const [editing, setEditing] = useState<Editing>(null)
  const [deleting, setDeleting] = useState<Rule | null>(null)
  const [announce, setAnnounce] = useState('')
  const focusAfter = useRef<{ id: string; dir: 'up' | 'down' } | null>(null)
  const table = useRef<HTMLTableElement>(null)
  const numberNames = useMemo(() => Object.fromEntries((numbers.data ?? []).map((n) => [n.id, n.friendlyName || n.display])), [numbers.data])

  // After a move, focus stays on the moved rule's button (or its other one
  // at the edge), so the keyboard can keep moving it.
  const order = rules.data?.rules.map((r) => r.id).join(',')
  useEffect(() => {
    const f = focusAfter.current
    if (!f || !table.current) return
    const want = table.current.querySelector<HTMLButtonElement>(`[data-move="${f.id}-${f.dir}"]`)
    const other = table.current.querySelector<HTMLButtonElement>(`[data-move="${f.id}-${f.dir === 'up' ? 'down' : 'up'}"]`)
    ;(want && !want.disabled ? want : other)?.focus()
    focusAfter.current = null
  }, [order])

  if (rules.isPending) return <LoadingList rows={4} label="Loading the routing rules" />
  if (rules.isError) return <ErrorState title="The routing rules didn't load" error={rules.error} onRetry={() => void rules.refetch()} />
  const rs = rules.data

  const move = (rule: Rule, delta: -1 | 1) => {
    const ids = moveRule(rs.rules, rule.id, delta)
    if (!ids || reorder.isPending) return
    focusAfter.current = { id: rule.id, dir: delta < 0 ? 'up' : 'down' }
    setAnnounce(`Moved “${rule.name}” to position ${ids.indexOf(rule.id) + 1}.`)
    reorder.mutate({ ruleIds: ids, expectedVersion: rs.version })
  }

  const error = reorder.error ?? update.error
  return (
    <>
      <div className="routing-version">
        <p>
          <Badge tone="info">Version {rs.version}</Badge> in force since {formatDateTime(rs.updatedAt, timeZone)}. Rules are tried from the top; the first that
          matches routes the text.
        </p>
        {canChange && (
          <Button variant="primary" onClick={() => setEditing({ rule: null })}>
            Add a rule
          </Button>
        )}
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      {error && (
        <Notice tone="danger" role="alert" onDismiss={() => (reorder.reset(), update.reset())}>
          {error.message}
        </Notice>
      )}
      <div className="rules-scroll">
        <table className="rules-table" ref={table} aria-label="Routing rules">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Name</th>
              <th scope="col">Enabled</th>
              <th scope="col">Conditions</th>
              <th scope="col">Target</th>
              <th scope="col">Texts routed</th>
              {canChange && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rs.rules.map((r, i) => (
              <tr key={r.id} data-testid="rule-row" className={r.enabled ? undefined : 'rule-off'}>
                <td data-label="Priority" className="rule-priority">
                  {i + 1}
                </td>
                <th scope="row" data-label="Name" className="rule-name">
                  <span>
                    <span className="break">{r.name}</span> {r.builtin && <Badge tone="neutral">Built in</Badge>}
                  </span>
                </th>
                <td data-label="Enabled" className="rule-enabled">
                  <div>
                  <label className="switch">
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      disabled={!canChange || !r.canDisable || update.isPending}
                      aria-label={`${r.name}: enabled`}
                      onChange={(e) => update.mutate({ id: r.id, body: { enabled: e.target.checked, expectedVersion: rs.version } })}
                    />
                    <span className="switch-track" aria-hidden="true" />
                    <span>{r.enabled ? 'On' : 'Off'}</span>
                  </label>
                  {!r.canDisable && <span className="muted small block">Always on</span>}
                  </div>
                </td>
                <td data-label="Conditions">{conditionWords(r, numberNames)}</td>
                <td data-label="Target">{targetWords(r)}</td>
                <td data-label="Texts routed" className="nowrap-md">
                  <div>
                    <span className="rule-count">{formatCount(r.routedCount)}</span>
                    <span className="muted small block">{r.lastFiredAt ? `last ${formatDateTime(r.lastFiredAt, timeZone)}` : 'never fired'}</span>
                  </div>
                </td>
                {canChange && (
                  <td data-label="Actions">
                    <div className="rule-actions">
                      {r.canMove && (
                        <>
                          <Button
                            variant="ghost"
                            data-move={`${r.id}-up`}
                            aria-label={`Move “${r.name}” up`}
                            disabled={!moveRule(rs.rules, r.id, -1)}
                            onClick={() => move(r, -1)}
                          >
                            ↑
                          </Button>
                          <Button
                            variant="ghost"
                            data-move={`${r.id}-down`}
                            aria-label={`Move “${r.name}” down`}
                            disabled={!moveRule(rs.rules, r.id, 1)}
                            onClick={() => move(r, 1)}
                          >
                            ↓
                          </Button>
                        </>
                      )}
                      {r.canEdit && (
                        <Button variant="secondary" aria-label={`Edit “${r.name}”`} onClick={() => setEditing({ rule: r })}>
                          Edit
                        </Button>
                      )}
                      {r.canDelete && (
                        <Button variant="secondary" aria-label={`Delete “${r.name}”`} onClick={() => setDeleting(r)}>
                          Delete
                        </Button>
                      )}
                      {!r.canMove && !r.canEdit && <span className="muted small">Stays {r.kind === 'override' ? 'first' : 'last'}</span>}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && <RuleForm rule={editing.rule} version={rs.version} onClose={() => setEditing(null)} />}
      <DeleteRuleDialog rule={deleting} version={rs.version} onClose={() => setDeleting(null)} />
    </>
  )
}

function DeleteRuleDialog({ rule, version, onClose }: { rule: Rule | null; version: number; onClose: () => void }) {
  const del = useDeleteRule()
  const close = () => {
    del.reset()
    onClose()
  }
  return (
    <ConfirmDialog
      open={!!rule}
      title="Delete this rule?"
      confirmLabel="Delete rule"
      tone="danger"
      busy={del.isPending}
      onCancel={close}
      onConfirm={() => rule && del.mutate({ id: rule.id, expectedVersion: version }, { onSuccess: close })}
    >
      <p>
        Texts that “<strong className="break">{rule?.name}</strong>” would take go to the next rule that matches. The change makes a new version of the rules.
      </p>
      {del.isError && (
        <Notice tone="danger" role="alert">
          {del.error.message}
        </Notice>
      )}
    </ConfirmDialog>
  )
}
