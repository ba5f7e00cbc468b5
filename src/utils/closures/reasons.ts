import { CLOSE_REASONS, type CloseReason } from "../../modules/payment-desk/models/order-closure"
import { serverText } from "../i18n/server-text"

/** English labels of the close reasons, for lists, counters and emails: the admin's own English words (`reasons.*`). */
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = Object.fromEntries(
  CLOSE_REASONS.map((reason) => [reason, serverText("en", `reasons.${reason}`)])
) as Record<CloseReason, string>

/** The label of a close reason; an unknown one (a newer plugin's) is shown as it is. */
export function closeReasonLabel(reason: string | null | undefined): string | null {
  if (!reason) {
    return null
  }
  return CLOSE_REASON_LABELS[reason as CloseReason] ?? reason
}
