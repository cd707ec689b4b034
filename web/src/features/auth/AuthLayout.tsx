import type { ReactNode } from 'react'

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <p className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Snout Messaging
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  )
}
