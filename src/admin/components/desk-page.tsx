import { Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { Link } from "react-router-dom"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { orderLabel } from "../lib/labels"

/** A breadcrumb in the admin's language (route `handle.breadcrumb` is called outside React, so it returns this). */
export function Crumb({ k }: { k: string }) {
  const { t } = useDeskTranslation()
  return <>{t(k)}</>
}

/**
 * Room at the end of a Payment desk page as tall as the dashboard's toasts
 * (bottom right, 24 px from the edge): scrolled to the end, the last rows'
 * buttons and the pagination lie above a toast, never under it.
 */
export function ToastRoom() {
  return <div aria-hidden className="h-24 shrink-0" data-testid="toast-room" />
}

/**
 * A Payment desk page: one container with a titled header, like the core list
 * pages, followed by the {@link ToastRoom} unless more containers follow it
 * (`endsPage={false}`: the page then ends with its own `ToastRoom`).
 */
export function DeskPage({
  title,
  description,
  actions,
  children,
  testId,
  endsPage = true,
}: {
  title: string
  description?: string
  actions?: ReactNode
  children: ReactNode
  testId?: string
  endsPage?: boolean
}) {
  const page = (
    <Container className="divide-y p-0" data-testid={testId}>
      <div className="flex flex-wrap items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h1">{title}</Heading>
          {description && (
            <Text size="small" className="text-ui-fg-subtle">
              {description}
            </Text>
          )}
        </div>
        {actions && <div className="flex items-center gap-x-2">{actions}</div>}
      </div>
      {children}
    </Container>
  )
  return endsPage ? (
    <>
      {page}
      <ToastRoom />
    </>
  ) : (
    page
  )
}

/** An order as "#12", linked to the order page; nothing when the display id is unknown. */
export function OrderLink({ orderId, displayId }: { orderId: string; displayId: number | null | undefined }) {
  const label = orderLabel(displayId)
  if (!label) {
    return null
  }
  return (
    <Link to={`/orders/${orderId}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small-plus" onClick={(e) => e.stopPropagation()}>
      {label}
    </Link>
  )
}

/** A customer by name (email below), linked to the customer page. */
export function CustomerCell({ customer }: { customer: { id: string | null; name: string | null; email: string | null } | null | undefined }) {
  if (!customer || (!customer.name && !customer.email)) {
    return null
  }
  const name = customer.name || customer.email
  const body = (
    <div className="flex flex-col">
      <span className="txt-compact-small">{name}</span>
      {customer.name && customer.email && <span className="txt-compact-xsmall text-ui-fg-subtle">{customer.email}</span>}
    </div>
  )
  return customer.id ? (
    <Link to={`/customers/${customer.id}`} className="hover:text-ui-fg-interactive" onClick={(e) => e.stopPropagation()}>
      {body}
    </Link>
  ) : (
    body
  )
}

/** The paging texts of a DataTable, in the admin's language. */
export function usePaginationTranslations() {
  const { t } = useDeskTranslation()
  return {
    of: t("table.of"),
    results: t("table.results"),
    pages: t("table.pages"),
    prev: t("table.prev"),
    next: t("table.next"),
  }
}
