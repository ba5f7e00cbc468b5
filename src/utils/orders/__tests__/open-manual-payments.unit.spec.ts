import { MANUAL_PAY_BY_SQL, openManualPaymentsSql } from "../open-manual-payments"

const squash = (sql: string) => sql.replace(/\s+/g, " ")

describe("openManualPaymentsSql", () => {
  it("writes one status as `=` (the pending-orders partial index) and binds pay-by bounds in the order written", () => {
    const now = new Date("2026-11-24T00:00:00Z")
    const { sql, bindings } = openManualPaymentsSql({ order_status: { in: ["pending"] }, pay_by: { before: now } })
    expect(squash(sql)).toContain("o.status = 'pending'")
    expect(squash(sql)).toContain(`${MANUAL_PAY_BY_SQL} < ?`)
    expect(squash(sql)).toContain("jsonb_typeof(p.data->'payment_window_hours') = 'number'")
    expect(bindings).toEqual([now])
    expect(sql.match(/\?/g)).toHaveLength(bindings.length)
  })

  it("reads a window of pay-by dates, several statuses, and the same open manual payments not closed by the plugin", () => {
    const after = new Date("2026-11-24T00:00:00Z")
    const until = new Date("2026-11-25T00:00:00Z")
    const { sql, bindings } = openManualPaymentsSql({ order_status: { in: ["pending", "requires_action"] }, pay_by: { after, until } })
    const text = squash(sql)
    expect(text).toContain("o.status in ('pending', 'requires_action')")
    expect(text.indexOf(`${MANUAL_PAY_BY_SQL} > ?`)).toBeLessThan(text.indexOf(`${MANUAL_PAY_BY_SQL} <= ?`))
    expect(bindings).toEqual([after, until])
    expect(text).toContain("p.provider_id like 'pp\\_manual\\_%'")
    expect(text).toContain("p.captured_at is null and p.canceled_at is null and p.deleted_at is null")
    expect(text).toContain("not exists (select 1 from payment_desk_order_closure cl where cl.order_id = o.id and cl.deleted_at is null)")
  })

  it("leaves statuses out, and reads payments without a window when no pay-by bound is asked", () => {
    const { sql, bindings } = openManualPaymentsSql({ order_status: { not_in: ["canceled", "draft", "archived"] } })
    expect(squash(sql)).toContain("o.status not in ('canceled', 'draft', 'archived')")
    expect(sql).not.toContain("jsonb_typeof")
    expect(bindings).toEqual([])
  })
})
