import { StatusBadge } from "@medusajs/ui"
import type { RefundRequest } from "../lib/types"

const LOOK: Record<RefundRequest["status"], { color: "green" | "orange" | "red" | "grey" | "blue"; label: string }> = {
  succeeded: { color: "green", label: "Succeeded" },
  pending: { color: "orange", label: "Pending" },
  awaiting_payout: { color: "blue", label: "Awaiting payout" },
  requires_action: { color: "red", label: "Needs attention" },
  failed: { color: "red", label: "Failed" },
  canceled: { color: "grey", label: "Canceled" },
}

/** A refund's status as a badge. */
export function RefundStatusBadge({ status }: { status: RefundRequest["status"] }) {
  const look = LOOK[status]
  return <StatusBadge color={look.color}>{look.label}</StatusBadge>
}
