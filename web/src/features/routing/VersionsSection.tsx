import { Badge, Button, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useRuleVersions, type RuleVersion } from './api'
import { changedBy } from './words'

// Every version of the rules: who changed what, when, and the order it
// left. Each routed text's trace names the version that routed it.
export function VersionsSection() {
  const versions = useRuleVersions()
  if (versions.isPending) return <LoadingList rows={3} label="Loading the rule versions" />
  if (versions.isError) return <ErrorState title="The rule versions didn't load" error={versions.error} onRetry={() => void versions.refetch()} />
  const current = versions.data.pages[0]?.current
  const all = versions.data.pages.flatMap((p) => p.versions)
  if (all.length === 0) return <EmptyState title="No versions yet" />
  return (
    <>
      <ol className="timeline" aria-label="Rule versions">
        {all.map((v) => (
          <VersionItem key={v.version} v={v} current={v.version === current} />
        ))}
      </ol>
      {versions.hasNextPage && (
        <div className="load-more">
          <Button onClick={() => void versions.fetchNextPage()} disabled={versions.isFetchingNextPage} busy={versions.isFetchingNextPage}>
            Load older versions
          </Button>
        </div>
      )}
    </>
  )
}

function VersionItem({ v, current }: { v: RuleVersion; current: boolean }) {
  const { timeZone } = useSession()
  return (
    <li className="timeline-item" data-testid="rule-version">
      <details>
        <summary className="timeline-summary">
          <span className="muted small nowrap">{formatDateTime(v.changedAt, timeZone)}</span>
          <span className="timeline-what">
            <strong>Version {v.version}</strong> {current && <Badge tone="success">In force</Badge>} <span className="muted">by {changedBy(v.changedByName, v.version)}</span>
            <span className="block small">{v.change}</span>
          </span>
        </summary>
        <div className="timeline-detail">
          <p className="small muted">The rules in this version, in the order they were tried:</p>
          <ol className="version-rules small">
            {v.rules.map((r) => (
              <li key={r.id}>
                {r.name} {!r.enabled && <Badge tone="neutral">Off</Badge>}
              </li>
            ))}
          </ol>
        </div>
      </details>
    </li>
  )
}
