import { Link, useNavigate, useParams } from 'react-router'
import { EmptyState, ErrorState, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { useClient, useCreateClient, useUpdateClient } from './api'
import { ClientForm } from './ClientForm'
import { formFromClient } from './form'

export function NewClientPage() {
  const create = useCreateClient()
  const navigate = useNavigate()
  return (
    <main id="main" className="page">
      <Link to="/clients" className="crumb">
        ← Clients
      </Link>
      <h1>Add a client</h1>
      <div className="card">
        <ClientForm
          submitLabel="Add client"
          onSubmit={async (body) => {
            const c = await create.mutateAsync(body)
            navigate(`/clients/${c.id}`, { state: { notice: `${c.name} was added.` } })
            return c
          }}
          onCancel={() => navigate('/clients')}
        />
      </div>
    </main>
  )
}

export function EditClientPage() {
  const { id = '' } = useParams()
  const client = useClient(id)
  const update = useUpdateClient(id)
  const navigate = useNavigate()
  return (
    <main id="main" className="page">
      <Link to={`/clients/${id}`} className="crumb">
        ← {client.data?.name ?? 'Client'}
      </Link>
      <h1>Edit client</h1>
      {client.isPending ? (
        <div className="card" role="status" aria-label="Loading the client">
          <Skeleton lines={8} />
        </div>
      ) : client.isError ? (
        client.error instanceof ApiError && client.error.notFound ? (
          <ClientNotFound />
        ) : (
          <ErrorState error={client.error} onRetry={() => void client.refetch()} />
        )
      ) : (
        <div className="card">
          <ClientForm
            key={client.data.id}
            initial={formFromClient(client.data)}
            submitLabel="Save changes"
            onSubmit={async (body) => {
              const c = await update.mutateAsync(body)
              navigate(`/clients/${c.id}`, { state: { notice: 'Your changes were saved.' } })
              return c
            }}
            onCancel={() => navigate(`/clients/${id}`)}
          />
        </div>
      )}
    </main>
  )
}

export function ClientNotFound() {
  return (
    <EmptyState title="Client not found" action={<Link to="/clients">Back to the clients</Link>}>
      This client doesn't exist, was merged into another one, or belongs to another business.
    </EmptyState>
  )
}
