import { Link } from 'react-router'
import { EmptyState } from '../components/ui'

export function NotFoundPage() {
  return (
    <main id="main" className="page">
      <EmptyState title="Page not found" action={<Link to="/">Go to your home page</Link>}>
        There is nothing at this address. Check the link, or start again from your home page.
      </EmptyState>
    </main>
  )
}
