import { StatusBadge } from "@medusajs/ui"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { refundStatusLabel } from "../lib/labels"

const COLORS: Record<string, "green" | "orange" | "red" | "grey" | "blue"> = {
  succeeded: "green",
  pending: "orange",
  awaiting_payout: "blue",
  requires_action: "red",
  failed: "red",
  canceled: "grey",
}

/** A refund's status as a badge, in words. */
export function RefundStatusBadge({ status }: { status: string }) {
  const { t } = useDeskTranslation()
  return <StatusBadge color={COLORS[status] ?? "grey"}>{refundStatusLabel(t, status)}</StatusBadge>
}
