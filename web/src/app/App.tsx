import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { BrowserRouter, Outlet, Route, Routes } from 'react-router'
import { ApiError } from '../lib/api/http'
import { SessionProvider } from '../lib/session'
import { AlertsPage } from '../features/alerts/AlertsPage'
import { AssignmentsRoutes } from '../features/assignments/AssignmentsPage'
import { AuditPage } from '../features/audit/AuditPage'
import { ClientsRoutes } from '../features/clients/ClientsRoutes'
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage'
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage'
import { SignInPage } from '../features/auth/SignInPage'
import { SettingsPage } from '../features/diagnostics/SettingsPage'
import { InboxPage } from '../features/inbox/InboxPage'
import { DeliveryFailuresPage } from '../features/ops/DeliveryFailuresPage'
import { RoutingPage } from '../features/routing/RoutingPage'
import { AppShell } from '../features/shell/AppShell'
import { SitterConversation } from '../features/sitter/SitterConversation'
import { SitterHome } from '../features/sitter/SitterHome'
import { SetupPage } from '../features/setup/SetupPage'
import { NumbersRoutes } from '../features/numbers/NumbersRoutes'
import { PolicyPage } from '../features/policy/PolicyPage'
import { AcceptInvitationPage } from '../features/signup/AcceptInvitationPage'
import { SignUpPage } from '../features/signup/SignUpPage'
import { VerifyEmailPage } from '../features/signup/VerifyEmailPage'
import { SittersPage } from '../features/sitters/SittersPage'
import { TeamPage } from '../features/team/TeamPage'
import { HomeRedirect, RequireRole, RequireSession, RequireSetup } from './guards'
import { NotFoundPage } from './NotFoundPage'

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) is an answer, not a blip: do not retry it.
        retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
        refetchOnWindowFocus: true,
        staleTime: 2000,
      },
    },
  })
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      {/* People: sign-up, its email link, invitation links */}
      <Route path="/signup" element={<SignUpPage />} />
      <Route path="/signup/verify" element={<VerifyEmailPage />} />
      <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<HomeRedirect />} />
        <Route element={<Staff />}>
          {/* Until setup is complete nobody can text in: the owner's inbox is setup. */}
          <Route element={<RequireSetup><Outlet /></RequireSetup>}>
            <Route path="inbox" element={<InboxPage />} />
            <Route path="inbox/:threadId" element={<InboxPage />} />
          </Route>
          <Route path="alerts" element={<AlertsPage />} />
          {/* People: sitters (owners and admins) */}
          <Route path="sitters" element={<SittersPage />} />
          <Route path="ops" element={<DeliveryFailuresPage />} />
          <Route path="clients/*" element={<ClientsRoutes />} />
          <Route path="numbers/*" element={<NumbersRoutes />} />
          <Route path="policy" element={<PolicyPage />} />
          <Route path="assignments/*" element={<AssignmentsRoutes />} />
          {/* Routing control: owners and admins read, owners change (policies/routing.csv) */}
          <Route path="routing" element={<RoutingPage />} />
        </Route>
        {/* People: the team and setup (owners) */}
        <Route
          path="team"
          element={
            <RequireRole staff ownerOnly>
              <TeamPage />
            </RequireRole>
          }
        />
        <Route
          path="setup"
          element={
            <RequireRole staff ownerOnly>
              <SetupPage />
            </RequireRole>
          }
        />
        <Route
          path="audit"
          element={
            <RequireRole staff ownerOnly>
              <AuditPage />
            </RequireRole>
          }
        />
        <Route
          path="settings"
          element={
            <RequireRole staff ownerOnly>
              <SettingsPage />
            </RequireRole>
          }
        />
        <Route element={<SitterOnly />}>
          <Route path="sitter" element={<SitterHome />} />
          <Route path="sitter/:threadId" element={<SitterConversation />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  )
}

function Staff() {
  return (
    <RequireRole staff>
      <Outlet />
    </RequireRole>
  )
}

function SitterOnly() {
  return (
    <RequireRole staff={false}>
      <Outlet />
    </RequireRole>
  )
}

export function App() {
  const [client] = useState(makeQueryClient)
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <SessionProvider>
          <AppRoutes />
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  )
}
