"use client"

import { closePaymentDeskOrder } from "@lib/data/payment-desk"
import { Button, Text } from "@modules/common/components/ui"
import ErrorMessage from "@modules/checkout/components/error-message"
import { paymentDeskStrings as t } from "@modules/payment-desk/strings"
import { useRouter } from "next/navigation"
import { useState } from "react"

/** 128 random bits as hex (`crypto.randomUUID` needs a secure context; `getRandomValues` does not). */
const newIdempotencyKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("")

/**
 * "Cancel order" (the store closes it at once) or "Request cancellation"
 * (the store answers later), asked once more before anything is sent. One
 * idempotency key per confirmation: a second click or a retry cannot close
 * twice. The store's message is shown when it refuses.
 */
const CloseOrder = ({ orderId, mode }: { orderId: string; mode: "close" | "request" }) => {
  const router = useRouter()
  const [confirming, setConfirming] = useState(false)
  const [note, setNote] = useState("")
  const [key, setKey] = useState("")
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const start = () => {
    setKey(newIdempotencyKey())
    setError(null)
    setConfirming(true)
  }

  const submit = async () => {
    setSubmitting(true)
    setError(null)
    const result = await closePaymentDeskOrder(orderId, { reason: "customer_request", note: note.trim() || null }, key)
    setSubmitting(false)
    if ("error" in result) {
      setError(result.error)
      return
    }
    setConfirming(false)
    router.refresh()
  }

  if (!confirming) {
    return (
      <Button variant="secondary" onClick={start} data-testid="payment-desk-close-button">
        {mode === "close" ? t.cancelOrder : t.requestCancellation}
      </Button>
    )
  }

  return (
    <div className="flex flex-col gap-y-3 border border-ui-border-base rounded-rounded p-4" data-testid="payment-desk-close-confirm">
      <Text className="txt-medium-plus text-ui-fg-base">{mode === "close" ? t.confirmCancel : t.confirmRequest}</Text>
      <label className="flex flex-col gap-y-1 txt-compact-small text-ui-fg-subtle">
        {t.noteLabel}
        <textarea
          value={note}
          onChange={(event) => setNote(event.target.value)}
          maxLength={2000}
          rows={2}
          className="border border-ui-border-base rounded-md p-2 txt-medium text-ui-fg-base"
          data-testid="payment-desk-close-note"
        />
      </label>
      <div className="flex gap-x-2">
        <Button onClick={submit} isLoading={submitting} data-testid="payment-desk-close-confirm-button">
          {mode === "close" ? t.confirmCancelButton : t.confirmRequestButton}
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)} disabled={submitting}>
          {t.keepOrder}
        </Button>
      </div>
      <ErrorMessage error={error} data-testid="payment-desk-close-error" />
    </div>
  )
}

export default CloseOrder
