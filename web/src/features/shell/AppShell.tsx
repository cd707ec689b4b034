import { useEffect, useRef, useState } from 'react'
import { Link, NavLink, Outlet, useLocation } from 'react-router'
import { Avatar, CountBadge } from '../../components/ui'
import { isStaff, useSignedIn } from '../../lib/session'
import { useBadges, useSignOut } from './api'

const roleNames: Record<string, string> = { owner: 'Owner', admin: 'Admin', sitter: 'Sitter' }

// The frame of every signed-in page: the org's name, navigation for the
// role (owners and admins see the business, sitters only their app), the
// badges and the user menu.
export function AppShell() {
  const session = useSignedIn()
  const staff = isStaff(session.role)
  const badges = useBadges()
  const { pathname } = useLocation()
  const nav = useRef<HTMLElement>(null)
  // On a phone the links scroll sideways: keep the current page's in view.
  useEffect(() => {
    nav.current?.querySelector('.active')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' })
  }, [pathname])
  return (
    <div className={`shell${staff ? '' : ' shell-sitter'}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-org">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span className="org-name" data-testid="org-name">
            {session.org.name}
          </span>
        </div>
        <nav aria-label="Main" className="nav" ref={nav}>
          {staff ? (
            <>
              <NavLink to="/inbox" className="nav-link">
                Inbox <CountBadge count={badges.data?.unreadThreads} label="unread conversations" />
              </NavLink>
              <NavLink to="/clients" className="nav-link">
                Clients
              </NavLink>
              <NavLink to="/alerts" className="nav-link">
                Alerts <CountBadge count={badges.data?.openAlerts} label="open alerts" />
              </NavLink>
              <NavLink to="/sitters" className="nav-link">
                Sitters
              </NavLink>
              <NavLink to="/assignments" className="nav-link">
                Assignments
              </NavLink>
              <NavLink to="/routing" className="nav-link">
                Routing
              </NavLink>
              {session.role === 'owner' && (
                <NavLink to="/team" className="nav-link">
                  Team
                </NavLink>
              )}
              <NavLink to="/ops" className="nav-link">
                Failures
              </NavLink>
              <NavLink to="/numbers" className="nav-link">
                Numbers
              </NavLink>
              <NavLink to="/policy" className="nav-link">
                Policy
              </NavLink>
              {session.role === 'owner' && (
                <>
                  <NavLink to="/audit" className="nav-link">
                    Audit
                  </NavLink>
                  <NavLink to="/settings" className="nav-link">
                    Settings
                  </NavLink>
                </>
              )}
            </>
          ) : (
            <NavLink to="/sitter" className="nav-link">
              My conversations <CountBadge count={badges.data?.unreadThreads} label="unread conversations" />
            </NavLink>
          )}
        </nav>
        <UserMenu />
      </header>
      {session.role === 'owner' && !session.setupComplete && !pathname.startsWith('/setup') && (
        <p className="setup-banner">
          Setup isn’t finished: nobody can text your business yet. <Link to="/setup">Continue setup</Link>
        </p>
      )}
      <Outlet />
    </div>
  )
}

function UserMenu() {
  const session = useSignedIn()
  // The menu is open on the page it was opened on; navigating closes it.
  const [openOn, setOpenOn] = useState<string | null>(null)
  const ref = useRef<HTMLDivElement>(null)
  const signOut = useSignOut()
  const location = useLocation()

  const open = openOn === location.pathname
  const setOpen = (v: boolean | ((o: boolean) => boolean)) => {
    const next = typeof v === 'function' ? v(open) : v
    setOpenOn(next ? location.pathname : null)
  }
  useEffect(() => {
    if (!open) return
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpenOn(null)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpenOn(null)
    }
    document.addEventListener('mousedown', onDoc)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDoc)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  // Signing out ends the session; the sign-in page then says so.
  const doSignOut = () => signOut.mutate()

  return (
    <div className="usermenu" ref={ref}>
      <button type="button" className="usermenu-button" aria-expanded={open} aria-controls="usermenu-panel" onClick={() => setOpen((o) => !o)}>
        <Avatar name={session.user.name} />
        <span className="usermenu-name">{session.user.name}</span>
        <span className="sr-only">, account menu</span>
      </button>
      {open && (
        <div className="usermenu-panel" id="usermenu-panel">
          <p className="usermenu-who">
            <strong>{session.user.name}</strong>
            <span>{session.user.email}</span>
            <span>
              {roleNames[session.role] ?? session.role} at {session.org.name}
            </span>
          </p>
          <button type="button" className="btn btn-secondary" onClick={doSignOut} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      )}
    </div>
  )
}
