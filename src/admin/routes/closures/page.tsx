import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ChartBar } from "@medusajs/icons"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { Counter, useCounters } from "../../hooks/use-close-order"

function CounterTable({ title, rows, testId }: { title: string; rows: Counter[]; testId: string }) {
  return (
    <Container className="divide-y p-0" data-testid={testId}>
      <div className="px-6 py-4">
        <Heading level="h2">{title}</Heading>
      </div>
      {rows.length ? (
        <Table>
          <Table.Body>
            {rows.map((row) => (
              <Table.Row key={`${row.scope}|${row.name}`}>
                <Table.Cell>{row.scope === "global" ? row.name : `${row.scope} · ${row.name}`}</Table.Cell>
                <Table.Cell className="text-right">{row.value}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      ) : (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Nothing counted yet.
        </Text>
      )}
    </Container>
  )
}

/** Closed orders in numbers: by reason, by who closed them, payment timeouts, top customers. */
const ClosuresPage = () => {
  const global = useCounters({ scope: "global" })
  const closes = useCounters({ name: "closed" })
  const rows = global.data?.counters ?? []
  const pick = (prefix: string) => rows.filter((row) => row.name.startsWith(prefix))
  const customers = (closes.data?.counters ?? []).filter((row) => row.scope.startsWith("customer:")).slice(0, 10)
  return (
    <div className="flex flex-col gap-y-3">
      <CounterTable title="Closed orders by reason" rows={pick("closed_reason.")} testId="counters-reason" />
      <CounterTable title="Closed orders by who closed them" rows={pick("closed_by.")} testId="counters-actor" />
      <CounterTable title="By payment method" rows={pick("closed_method.")} testId="counters-method" />
      <CounterTable title="Payment timeouts" rows={pick("payment_timeouts")} testId="counters-timeouts" />
      <CounterTable title="Customers who close the most" rows={customers} testId="counters-customers" />
    </div>
  )
}

export const config = defineRouteConfig({ label: "Closed orders", icon: ChartBar })

export default ClosuresPage
