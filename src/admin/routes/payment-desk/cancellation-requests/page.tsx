import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Alert, Button, Drawer, Label, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { Crumb, CustomerCell, DeskPage, OrderLink } from "../../../components/desk-page"
import { useAnswerCancellationRequest, useCancellationRequests } from "../../../hooks/use-cancellation-requests"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { formatDateTime } from "../../../lib/format"
import { reasonLabel } from "../../../lib/labels"
import type { CancellationRequest } from "../../../lib/types"
import { ROW_ACTION_TOAST } from "../../../lib/toasts"

/** Decline with a message the customer reads. */
function DeclineDrawer({ request }: { request: CancellationRequest }) {
  const { t } = useDeskTranslation()
  const [open, setOpen] = useState(false)
  const [message, setMessage] = useState("")
  const [error, setError] = useState<string | null>(null)
  const answer = useAnswerCancellationRequest()
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    if (!message.trim()) {
      setError(t("requests.messageRequired"))
      return
    }
    await answer.mutateAsync({ id: request.id, decision: "decline", message: message.trim() }).then(
      () => {
        toast.success(t("requests.declined"), ROW_ACTION_TOAST)
        setOpen(false)
      },
      (failure: Error) => setError(failure.message)
    )
  }
  return (
    <Drawer
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setMessage("")
          setError(null)
        }
        setOpen(next)
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="request-decline">
          {t("requests.decline")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <Drawer.Header>
            <Drawer.Title>{t("requests.declineTitle")}</Drawer.Title>
            <Drawer.Description>{t("requests.declineDescription")}</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4">
            {error && <Alert variant="error">{error}</Alert>}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="pd-decline-message">{t("requests.message")}</Label>
              <Textarea id="pd-decline-message" value={message} onChange={(e) => setMessage(e.target.value)} />
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={answer.isPending} disabled={answer.isPending}>
              {t("requests.decline")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}

function RequestRow({ request }: { request: CancellationRequest }) {
  const { t, locale } = useDeskTranslation()
  const prompt = usePrompt()
  const answer = useAnswerCancellationRequest()
  const order = request.order_display_id ? `#${request.order_display_id}` : ""
  const onApprove = async () => {
    const confirmed = await prompt({
      variant: "danger",
      title: t("requests.approveTitle", { order }),
      description: t("requests.approveDescription"),
      confirmText: t("requests.approve"),
      cancelText: t("common.cancel"),
    })
    if (!confirmed) {
      return
    }
    await answer.mutateAsync({ id: request.id, decision: "approve" }).then(
      () => toast.success(t("requests.approved"), ROW_ACTION_TOAST),
      (failure: Error) => toast.error(failure.message)
    )
  }
  return (
    <li className="flex flex-wrap items-start justify-between gap-4 px-6 py-4" data-testid="cancellation-request">
      <div className="flex flex-col gap-y-1">
        <div className="flex items-center gap-x-2">
          <OrderLink orderId={request.order_id} displayId={request.order_display_id} />
          <Text size="small" className="text-ui-fg-subtle">
            {formatDateTime(request.created_at, locale)}
          </Text>
        </div>
        <CustomerCell customer={request.customer} />
        {request.reason && <Text size="small">{reasonLabel(t, request.reason, request.reason_label)}</Text>}
        {request.note && (
          <Text size="small" className="text-ui-fg-subtle">
            “{request.note}”
          </Text>
        )}
      </div>
      <div className="flex gap-x-2">
        <DeclineDrawer request={request} />
        <Button size="small" variant="danger" onClick={onApprove} isLoading={answer.isPending} disabled={answer.isPending} data-testid="request-approve">
          {t("requests.approve")}
        </Button>
      </div>
    </li>
  )
}

/** Customers' requests to cancel an order: approve (the order is closed) or decline with a message. */
const CancellationRequestsPage = () => {
  const { t } = useDeskTranslation()
  const { data, isLoading, error } = useCancellationRequests()
  return (
    <DeskPage title={t("nav.requests")} description={t("requests.description")} testId="cancellation-requests-page">
      {isLoading && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          {t("common.loading")}
        </Text>
      )}
      {error && (
        <Text size="small" className="text-ui-fg-error px-6 py-4">
          {error.message}
        </Text>
      )}
      {data && !data.requests.length && (
        <div className="flex flex-col items-center gap-y-1 px-6 py-10" data-testid="requests-empty">
          <Text size="small" weight="plus">
            {data.available ? t("requests.emptyHeading") : t("requests.unavailableHeading")}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            {data.available ? t("requests.emptyText") : t("requests.unavailableText")}
          </Text>
        </div>
      )}
      {data && data.requests.length > 0 && (
        <ul className="divide-y">
          {data.requests.map((request) => (
            <RequestRow key={request.id} request={request} />
          ))}
        </ul>
      )}
    </DeskPage>
  )
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.requests", translationNs: "translation", rank: 4 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.requests" />,
}

export default CancellationRequestsPage
