import { Text } from "@medusajs/ui"
import { useDeskTranslation } from "../hooks/use-desk-translation"
import { formatDateTime, formatMoney } from "../lib/format"
import { actionLabel, actorLabel, methodLabel, notesLabel } from "../lib/labels"
import type { AuditEntry } from "../lib/types"

/** The order's audit trail, newest first: who, when, what, reference. */
export function AuditTimeline({ entries }: { entries: AuditEntry[] }) {
  const { t, locale } = useDeskTranslation()
  if (!entries.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle px-6 py-4">
        {t("timeline.empty")}
      </Text>
    )
  }
  return (
    <ol className="flex flex-col gap-y-3 px-6 py-4" data-testid="payment-desk-timeline">
      {entries.map((entry) => {
        const headline = [
          actionLabel(t, entry.action),
          entry.amount !== null && entry.currency_code ? formatMoney(entry.amount, entry.currency_code, locale) : "",
          entry.method ? methodLabel(t, entry.method) : "",
        ]
          .filter(Boolean)
          .join(" · ")
        const who = actorLabel(t, { type: entry.actor_type, id: entry.actor_id, name: entry.actor_name, email: entry.actor_email })
        return (
          <li key={entry.id} className="flex gap-x-3" data-testid="payment-desk-timeline-entry">
            <div className="bg-ui-tag-neutral-icon mt-1.5 size-2 shrink-0 rounded-full" />
            <div className="flex flex-col">
              <Text size="small" weight="plus" leading="compact">
                {headline}
              </Text>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {who} · {formatDateTime(entry.created_at, locale)}
              </Text>
              {entry.reason_label && (
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {t("timeline.reason", { reason: entry.reason_label })}
                </Text>
              )}
              {entry.reference && (
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {t("timeline.reference", { reference: entry.reference })}
                </Text>
              )}
              {(entry.note || entry.system_note) && (
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {notesLabel(t, entry, locale)}
                </Text>
              )}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
