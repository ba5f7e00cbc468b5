import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowUturnLeft } from "@medusajs/icons"
import { Container, Heading, Select, Text } from "@medusajs/ui"
import { useState } from "react"
import { Link } from "react-router-dom"
import { RefundRow } from "../../components/refund-ledger"
import { useRefundList } from "../../hooks/use-refunds"

const FILTERS: Record<string, string[]> = {
  open: ["pending", "failed", "requires_action", "awaiting_payout"],
  pending: ["pending"],
  failed: ["failed"],
  requires_action: ["requires_action"],
  awaiting_payout: ["awaiting_payout"],
  succeeded: ["succeeded"],
}

/** Every refund that still needs something, across orders. */
const RefundsPage = () => {
  const [filter, setFilter] = useState("open")
  const { data, isLoading, error } = useRefundList(FILTERS[filter])
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h1">Refunds</Heading>
        <Select value={filter} onValueChange={setFilter} size="small">
          <Select.Trigger className="w-56">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            <Select.Item value="open">Pending, failed or needing attention</Select.Item>
            <Select.Item value="pending">Pending</Select.Item>
            <Select.Item value="failed">Failed</Select.Item>
            <Select.Item value="requires_action">Needs attention</Select.Item>
            <Select.Item value="awaiting_payout">Awaiting payout</Select.Item>
            <Select.Item value="succeeded">Succeeded</Select.Item>
          </Select.Content>
        </Select>
      </div>
      {isLoading && <Text className="px-6 py-4">Loading…</Text>}
      {error && <Text className="text-ui-fg-error px-6 py-4">{error.message}</Text>}
      {data && !data.refund_requests.length && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Nothing here.
        </Text>
      )}
      <ul className="divide-y">
        {data?.refund_requests.map((refund) => (
          <div key={refund.id}>
            <div className="px-6 pt-3">
              <Link to={`/orders/${refund.order_id}`} className="text-ui-fg-interactive txt-compact-small">
                {refund.order_id}
              </Link>
            </div>
            <RefundRow refund={refund} />
          </div>
        ))}
      </ul>
    </Container>
  )
}

export const config = defineRouteConfig({ label: "Refunds", icon: ArrowUturnLeft })

export default RefundsPage
