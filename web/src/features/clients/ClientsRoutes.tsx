import { Link, Route, Routes } from 'react-router'
import { EmptyState } from '../../components/ui'
import { ClientDetailPage } from './ClientDetailPage'
import { EditClientPage, NewClientPage } from './ClientFormPage'
import { ClientsPage } from './ClientsPage'
import { ImportPage } from './ImportPage'
import { MergePage } from './MergePage'

// The client book's pages, under /clients (mounted by the app as clients/*).
export function ClientsRoutes() {
  return (
    <Routes>
      <Route index element={<ClientsPage />} />
      <Route path="new" element={<NewClientPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path=":id" element={<ClientDetailPage />} />
      <Route path=":id/edit" element={<EditClientPage />} />
      <Route path=":id/merge" element={<MergePage />} />
      <Route path="*" element={<NoSuchPage />} />
    </Routes>
  )
}

function NoSuchPage() {
  return (
    <main id="main" className="page">
      <EmptyState title="Page not found" action={<Link to="/clients">Go to the clients</Link>}>
        There is nothing at this address.
      </EmptyState>
    </main>
  )
}
