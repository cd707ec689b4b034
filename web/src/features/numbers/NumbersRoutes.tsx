import { Link, Route, Routes } from 'react-router'
import { EmptyState } from '../../components/ui'
import { AddNumberPage } from './AddNumberPage'
import { ImportNumbersPage } from './ImportNumbersPage'
import { NumberDetailPage } from './NumberDetailPage'
import { NumbersPage } from './NumbersPage'

// The number pages, under /numbers (mounted by the app as numbers/*).
export function NumbersRoutes() {
  return (
    <Routes>
      <Route index element={<NumbersPage />} />
      <Route path="new" element={<AddNumberPage />} />
      <Route path="import" element={<ImportNumbersPage />} />
      <Route path=":id" element={<NumberDetailPage />} />
      <Route path="*" element={<NoSuchPage />} />
    </Routes>
  )
}

function NoSuchPage() {
  return (
    <main id="main" className="page">
      <EmptyState title="Page not found" action={<Link to="/numbers">Go to the numbers</Link>}>
        There is nothing at this address.
      </EmptyState>
    </main>
  )
}
