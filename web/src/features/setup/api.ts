import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'

/** The setup wizard's progress (the API starts the wizard on first use). */
export function useSetupProgress() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/setup', { signal })),
  })
}
