// `medusa exec ./scripts/bench/seed-scale.ts`: a store at the scale of a busy
// shop for the `lists` part of the benchmark. ~200 real orders (bulkOrders:
// bank transfer, some with captures), copied in SQL to BENCH_SCALE_ORDERS
// (default 100,000) with new ids, display ids, emails, customers and dates
// over the last 90 days; then the plugin's rows in SQL: 10 audit entries per
// order, closures (BENCH_SCALE_CLOSURES, default 36 % of the orders: those
// orders are canceled), refunds (half the order count), bank statements of
// 1,000 lines (as many lines as orders) and cancellation requests (30 % of
// the orders). One order has 200 audit entries and 50 refunds. Ends with
// ANALYZE and writes what the bench needs to the file named by BENCH_FIXTURES.
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AUDIT_ACTIONS } from "../../src/modules/payment-desk/models/audit-entry"
import { capture, createAdminUser, seedStore } from "../seed/store"
import { bulkOrders } from "./bulk-orders"

const ADMIN_EMAIL = "bench@payment-desk.test"
const ACCOUNT = "DE89370400440532013000"
const CUSTOMERS = 300
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Emmy", "Kurt", "Lise", "Max", "Marie", "Niels", "Rosa", "Carl", "Sofia"]
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Noether", "Gödel", "Meitner", "Planck", "Curie", "Bohr", "Luxemburg", "Gauß", "Kowalewski"]

export default async function seedScale({ container }: ExecArgs) {
  const N = Math.max(300, Number(process.env.BENCH_SCALE_ORDERS || 100_000))
  const CLOSURES = Math.min(N - 400, Number(process.env.BENCH_SCALE_CLOSURES || Math.round(N * 0.36)))
  const T = 200
  const BATCH = 20_000
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const timings: Record<string, number> = {}
  const startedAll = performance.now()
  const step = async <R>(name: string, work: () => Promise<R>): Promise<R> => {
    const started = performance.now()
    const result = await work()
    timings[name] = Math.round(performance.now() - started)
    console.log(`[seed-scale] ${name}: ${timings[name]} ms`)
    return result
  }
  /** Runs `sql` for each [from, to) range of `size` over [start, end). */
  const batched = async (sql: string, start: number, end: number, size: number, extra: unknown[] = []) => {
    for (let from = start; from < end; from += size) {
      await pg.raw(sql, [...extra, from, Math.min(end, from + size)])
    }
  }

  const store = await step("store and admin (workflows)", async () => {
    const store = await seedStore(container, { name: "Scale" })
    await createAdminUser(container, { email: ADMIN_EMAIL, password: "supersecret" })
    return store
  })
  const { rows: users } = await pg.raw(`select id from "user" where email = ?`, [ADMIN_EMAIL])
  const userId: string = users[0].id

  await step(`${CUSTOMERS} customers (SQL)`, () =>
    pg.raw(
      `insert into customer (id, first_name, last_name, email, has_account, created_at, updated_at)
       select 'cus_scale_' || k, (?::text[])[1 + k % 12], (?::text[])[1 + (k * 5) % 12], 'customer-' || k || '@example.com', true,
              now() - interval '120 days' + k * interval '5 hours', now() - interval '120 days' + k * interval '5 hours'
         from generate_series(0, ? - 1) k`,
      [FIRST_NAMES, LAST_NAMES, CUSTOMERS]
    )
  )

  // The templates: real orders through the modules, a quarter of them partly
  // captured through Medusa's capture workflow (amount due 100 - capture),
  // the first one fully captured (the order of the widget's case).
  const templateIds = await step(`${T} template orders (bulkOrders) and captures`, async () => {
    const ids = await bulkOrders(container, store, T, 24)
    const { rows } = await pg.raw(
      `select opc.order_id, p.id as payment_id from order_payment_collection opc
         join payment p on p.payment_collection_id = opc.payment_collection_id
        where opc.order_id = any(?::text[])`,
      [ids]
    )
    const paymentOf = new Map((rows as { order_id: string; payment_id: string }[]).map((r) => [r.order_id, r.payment_id]))
    await capture(container, paymentOf.get(ids[0])!, 100)
    for (let i = 1; i < ids.length; i += 4) {
      await capture(container, paymentOf.get(ids[i])!, 10 + ((i * 17) % 80))
    }
    return ids
  })
  const specialOrderId = templateIds[0]

  await step("template map and order plan", async () => {
    await pg.raw(`drop table if exists scale_tpl, scale_orders`)
    // Each template's rows as JSON, so that the copies read 200 small rows,
    // never the tables they are growing.
    await pg.raw(
      `create unlogged table scale_tpl as
       select (array_position(?::text[], o.id) - 1) as idx, o.id as order_id, p.id as payment_id, opc.payment_collection_id as pc_id,
              to_jsonb(o) as o, to_jsonb(li) as li, to_jsonb(oi) as oi, to_jsonb(os) as os, to_jsonb(pc) as pc, to_jsonb(ps) as ps,
              to_jsonb(p) as p, coalesce((select jsonb_agg(to_jsonb(c)) from capture c where c.payment_id = p.id), '[]'::jsonb) as captures
         from "order" o
         join lateral (select * from order_item where order_id = o.id order by version desc limit 1) oi on true
         join order_line_item li on li.id = oi.item_id
         join lateral (select * from order_summary where order_id = o.id order by version desc limit 1) os on true
         join order_payment_collection opc on opc.order_id = o.id
         join payment_collection pc on pc.id = opc.payment_collection_id
         join payment p on p.payment_collection_id = pc.id
         join payment_session ps on ps.id = p.payment_session_id
        where o.id = any(?::text[])`,
      [templateIds, templateIds]
    )
    await pg.raw(`create unique index on scale_tpl (idx)`)
    await pg.raw(
      `create unlogged table scale_orders (
         n int primary key, id text not null, tpl int not null, display_id int, created_at timestamptz not null,
         email text, customer_id text, closed boolean not null, closed_at timestamptz, payment_id text not null, pc_id text not null)`
    )
    // The templates as they are (n = their index), then the copies: display
    // ids from Medusa's sequence in the order of their dates, a distinct
    // email each, a customer for 4 orders in 5, spread over the last 90 days.
    await pg.raw(
      `insert into scale_orders
       select t.idx, o.id, t.idx, o.display_id, o.created_at, o.email, o.customer_id, false, null, t.payment_id, t.pc_id
         from scale_tpl t join "order" o on o.id = t.order_id`
    )
    await pg.raw(
      `insert into scale_orders
       select g, 'order_scale' || lpad(g::text, 7, '0'), g % ?, nextval('order_display_id_seq'), d.created_at,
              'shopper-' || g || '@example.net',
              case when g % 5 <> 0 then 'cus_scale_' || ((g * 7) % ?) end,
              c.closed, case when c.closed then least(now(), d.created_at + interval '2 days' + (g % 7) * interval '1 day') end,
              'pay_scale_' || g, 'pay_col_scale_' || g
         from generate_series(?, ? - 1) g
         cross join lateral (select now() - interval '90 days' * (1 - g::float8 / ?) + ((g * 7919) % 3600) * interval '1 second' as created_at) d
         cross join lateral (select (g::bigint * 7919) % ? < ? as closed) c
        order by g`,
      [T, CUSTOMERS, T, N, N, N, CLOSURES]
    )
    await pg.raw(`analyze scale_tpl, scale_orders`)
  })

  // The copies, template row by template row (jsonb_populate_record keeps
  // every column the template has), BATCH orders per statement.
  await step(`${N - T} order copies (order, line item, item, summary, collection, session, payment, capture, link)`, async () => {
    const range = `s.n >= ? and s.n < ? and s.n >= ${T}`
    const from = `from scale_orders s join scale_tpl t on t.idx = s.tpl`
    const statements = [
      `insert into "order"
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::"order", t.o || jsonb_build_object(
                'id', s.id, 'display_id', s.display_id, 'email', s.email, 'customer_id', s.customer_id,
                'status', case when s.closed then 'canceled' else t.o->>'status' end,
                'canceled_at', s.closed_at, 'created_at', s.created_at, 'updated_at', coalesce(s.closed_at, s.created_at))) r where ${range}`,
      `insert into order_line_item
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::order_line_item, t.li || jsonb_build_object(
                'id', 'ordli_scale_' || s.n, 'totals_id', null, 'created_at', s.created_at, 'updated_at', s.created_at)) r where ${range}`,
      `insert into order_item
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::order_item, t.oi || jsonb_build_object(
                'id', 'orditem_scale_' || s.n, 'order_id', s.id, 'item_id', 'ordli_scale_' || s.n,
                'created_at', s.created_at, 'updated_at', s.created_at)) r where ${range}`,
      `insert into order_summary
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::order_summary, t.os || jsonb_build_object(
                'id', 'ordsum_scale_' || s.n, 'order_id', s.id, 'created_at', s.created_at, 'updated_at', s.created_at)) r where ${range}`,
      `insert into payment_collection
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::payment_collection, t.pc || jsonb_build_object(
                'id', s.pc_id, 'status', case when s.closed then 'canceled' else t.pc->>'status' end,
                'created_at', s.created_at, 'updated_at', coalesce(s.closed_at, s.created_at))) r where ${range}`,
      `insert into payment_session
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::payment_session, t.ps || jsonb_build_object(
                'id', 'payses_scale_' || s.n, 'payment_collection_id', s.pc_id, 'created_at', s.created_at, 'updated_at', s.created_at)) r where ${range}`,
      `insert into payment
       select r.*
         ${from}
         cross join lateral jsonb_populate_record(null::payment, t.p || jsonb_build_object(
                'id', s.payment_id, 'payment_collection_id', s.pc_id, 'payment_session_id', 'payses_scale_' || s.n,
                'canceled_at', case when s.closed then to_jsonb(s.closed_at) else t.p->'canceled_at' end,
                'created_at', s.created_at, 'updated_at', coalesce(s.closed_at, s.created_at))) r where ${range}`,
      `insert into capture
       select r.*
         ${from} cross join jsonb_array_elements(t.captures) c(c)
         cross join lateral jsonb_populate_record(null::capture, c.c || jsonb_build_object(
                'id', 'capt_scale_' || s.n || '_' || right(c.c->>'id', 6), 'payment_id', s.payment_id,
                'created_at', s.created_at + interval '1 day', 'updated_at', s.created_at + interval '1 day')) r where ${range}`,
      `insert into order_payment_collection (id, order_id, payment_collection_id, created_at, updated_at)
       select 'ordpay_scale_' || s.n, s.id, s.pc_id, s.created_at, s.created_at ${from} where ${range}`,
    ]
    const tables = ["order", "order_line_item", "order_item", "order_summary", "payment_collection", "payment_session", "payment", "capture", "order_payment_collection"]
    const spent = new Array(statements.length).fill(0)
    for (let start = T; start < N; start += BATCH) {
      for (let i = 0; i < statements.length; i++) {
        const started = performance.now()
        await pg.raw(statements[i], [start, Math.min(N, start + BATCH)])
        spent[i] += performance.now() - started
      }
    }
    console.log(`[seed-scale]   by table: ${tables.map((t, i) => `${t} ${Math.round(spent[i])} ms`).join(", ")}`)
  })

  // The actions as a store sees them: receipts most, then refunds and reminders.
  const weighted = [
    ...AUDIT_ACTIONS,
    ...Array(9).fill("payment_recorded"),
    ...Array(3).fill("refund_requested"),
    ...Array(2).fill("refund_succeeded"),
    ...Array(3).fill("payment_overdue"),
    ...Array(2).fill("order_closed"),
    ...Array(2).fill("medusa_capture"),
  ] as string[]
  // A printed RF creditor reference of a display id, its body padded to 20 digits ("RF18 0000 0000 0000 0000 1234").
  const rf = (displayId: string) => {
    const body = `lpad(${displayId}::text, 20, '0')`
    const check = `lpad((98 - ((${body} || '271500')::numeric % 97))::text, 2, '0')`
    return `('RF' || ${check} || ' ' || substr(${body}, 1, 4) || ' ' || substr(${body}, 5, 4) || ' ' || substr(${body}, 9, 4) || ' ' || substr(${body}, 13, 4) || ' ' || substr(${body}, 17, 4))`
  }
  const sepa = (seed: string) => `'SEPA-' || upper(substr(md5(${seed}), 1, 4) || '-' || substr(md5(${seed}), 5, 8))`
  // `reference_key` (the reference without spaces, upper case, which the audit search reads) where the schema has it.
  const { rows: keyColumn } = await pg.raw(
    `select 1 from information_schema.columns where table_name = 'payment_desk_audit_entry' and column_name = 'reference_key'`
  )
  const referenceKey = keyColumn.length > 0
  const auditInsert = `insert into payment_desk_audit_entry
       (id, order_id, payment_id, action, source, actor_type, actor_id, actor_email, amount, raw_amount, currency_code, method,
        reference, received_at, note, payment_status_before, payment_status_after, ip, user_agent, created_at, updated_at
        ${referenceKey ? ", reference_key" : ""})
     select 'pdaud_scale_' || s.n || '_' || j, s.id, s.payment_id, a.action,
            case when a.action like 'medusa\\_%' then 'medusa' else 'payment_desk' end,
            case when a.action in ('payment_overdue', 'refund_unknown_at_provider', 'refund_outcome_unknown') or (s.n + j) % 4 = 0 then 'system' else 'user' end,
            case when a.action in ('payment_overdue', 'refund_unknown_at_provider', 'refund_outcome_unknown') or (s.n + j) % 4 = 0 then 'close-unpaid-orders' else ?::text end,
            case when a.action in ('payment_overdue', 'refund_unknown_at_provider', 'refund_outcome_unknown') or (s.n + j) % 4 = 0 then null else ?::text end,
            m.amount, jsonb_build_object('value', m.amount::text, 'precision', 20), 'eur', 'bank-transfer',
            ref.reference,
            case when a.action = 'payment_recorded' then d.at end,
            case when j % 7 = 3 then 'Paid at the counter, receipt ' || (s.n * 10 + j) end,
            case when a.action = 'payment_recorded' then 'authorized' end,
            case when a.action = 'payment_recorded' then case when j % 3 = 0 then 'captured' else 'partially_captured' end end,
            '203.0.113.' || (s.n % 250), 'Mozilla/5.0 (X11; Linux x86_64) payment-desk-bench',
            d.at, d.at ${referenceKey ? ", upper(replace(ref.reference, ' ', ''))" : ""}
       from scale_orders s
      cross join generate_series(0, ? - 1) j
      cross join lateral (select (?::text[])[1 + ((s.n * 10 + j)::bigint * 2654435761) % ?] as action) a
      cross join lateral (select case when a.action = 'payment_recorded' then ${rf("s.display_id")}
                                      when a.action like 'refund\\_%' then ${sepa("s.n::text || '-' || j")} end as reference) ref
      cross join lateral (select round((5 + ((s.n * 13 + j * 7) % 9500) / 100.0)::numeric, 2) as amount) m
      cross join lateral (select least(now(), s.created_at + j * interval '37 minutes') as at) d`
  await step(`audit entries (${N * 10})`, () =>
    batched(`${auditInsert} where s.n >= ? and s.n < ?`, 0, N, 2_000, [userId, ADMIN_EMAIL, 10, weighted, weighted.length])
  )
  await step("the widget order's 200 audit entries", async () => {
    const { rows } = await pg.raw(`select count(*)::int as n from payment_desk_audit_entry where order_id = ?`, [specialOrderId])
    const missing = 200 - rows[0].n
    if (missing > 0) {
      // j from 10 on: ids distinct from the order's first 10 entries.
      await pg.raw(
        `${auditInsert.replace("generate_series(0, ? - 1) j", "generate_series(10, 10 + ? - 1) j")} where s.id = ?`,
        [userId, ADMIN_EMAIL, missing, weighted, weighted.length, specialOrderId]
      )
    }
  })

  const closedCount = await step("closures", async () => {
    await pg.raw(
      `insert into payment_desk_order_closure
         (id, order_id, actor_type, actor_id, reason, note, notify_customer, refund_request_ids, refunded_amount, raw_refunded_amount,
          currency_code, payment_method, customer_id, sales_channel_id, ip, user_agent, source, closed_at, created_at, updated_at)
       select 'pdclo_scale_' || s.n, s.id, k.actor_type,
              case k.actor_type when 'system' then 'close-unpaid-orders' when 'user' then ?::text else s.customer_id end,
              case k.actor_type when 'system' then 'payment_timeout' when 'customer' then 'customer_request'
                   else (array['out_of_stock', 'fraud_suspected', 'other', 'customer_request'])[1 + s.n % 4] end,
              case when k.actor_type = 'user' then 'Closed at the customer''s request by phone' end,
              true, '[]'::jsonb, 0, '{"value": "0", "precision": 20}'::jsonb, 'eur', 'bank-transfer', s.customer_id, ?::text,
              case when k.actor_type <> 'system' then '198.51.100.' || (s.n % 250) end,
              case when k.actor_type <> 'system' then 'Mozilla/5.0 payment-desk-bench' end,
              'payment_desk', s.closed_at, s.closed_at, s.closed_at
         from scale_orders s
        cross join lateral (select case when s.n % 10 < 5 or (s.n % 10 >= 8 and s.customer_id is null) then 'system'
                                        when s.n % 10 < 8 then 'user' else 'customer' end as actor_type) k
        where s.closed and s.n >= ? and s.n < ?`,
      [userId, store.sales_channel_id, 0, N]
    )
    const { rows } = await pg.raw(`select count(*)::int as n from payment_desk_order_closure`)
    return rows[0].n as number
  })

  const refundCount = Math.floor(N / 2)
  const refundInsert = (orderExpr: string) => `insert into payment_desk_refund_request
       (id, order_id, payment_id, provider_id, amount, raw_amount, currency_code, status, idempotency_key, provider_key, dispatched_at,
        note, notify_customer, attempts, last_error, requested_by_type, requested_by_id, requested_at, settled_at, payout_reference,
        created_at, updated_at)
     select 'pdref_scale_' || i, s.id, s.payment_id, 'pp_manual_bank-transfer', m.amount, jsonb_build_object('value', m.amount::text, 'precision', 20),
            'eur', st.status, 'scale-refund-' || i, 'scale-refund-' || i || '-1', d.at,
            case when i % 5 = 0 then 'Goodwill refund for a late delivery' end, i % 3 = 0,
            case st.status when 'failed' then 3 when 'pending' then 0 else 1 end,
            case when st.status = 'failed' then 'The bank returned the transfer: account closed (AC04)' end,
            case when i % 4 = 0 then 'system' else 'user' end, case when i % 4 = 0 then 'close-unpaid-orders' else ?::text end,
            d.at, case when st.status = 'succeeded' then least(now(), d.at + interval '1 day') end,
            case when st.status = 'succeeded' then ${sepa("'r' || i")} end,
            d.at, case when st.status = 'succeeded' then least(now(), d.at + interval '1 day') else d.at end
       from generate_series(?, ? - 1) i
       join scale_orders s on s.n = ${orderExpr}
      cross join lateral (select (array['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed',
                                        'awaiting_payout', 'awaiting_payout', 'pending'])[1 + (i * 7) % 10] as status) st
      cross join lateral (select round((1 + ((i * 31) % 4900) / 100.0)::numeric, 2) as amount) m
      cross join lateral (select least(now(), s.created_at + interval '3 days' + (i % 48) * interval '1 hour') as at) d`
  await step(`refunds (${refundCount}, 50 of them on the widget order)`, async () => {
    // Odd orders (never the widget order, n = 0), then 50 on the widget order.
    await batched(`${refundInsert("(2 * i + 1) % " + N)}`, 0, refundCount - 50, BATCH, [userId])
    await pg.raw(refundInsert("0"), [userId, refundCount - 50, refundCount])
  })

  const statements = Math.ceil(N / 1000)
  await step(`bank statements (${statements}) and lines (${N})`, async () => {
    await pg.raw(
      `insert into payment_desk_bank_statement
         (id, file_name, format, checksum, statement_ids, accounts, entries, imported_by_type, imported_by_id, imported_by_email, status,
          created_at, updated_at)
       select 'pdbst_scale_' || lpad(k::text, 5, '0'), 'camt053_' || to_char(d.at, 'YYYY-MM-DD') || '_' || k || '.xml', 'camt.053', md5('statement' || k),
              jsonb_build_array('STMT-' || k), jsonb_build_array(?::text), 1000, 'user', ?::text, ?::text, 'imported', d.at, d.at
         from generate_series(0, ? - 1) k
        cross join lateral (select now() - interval '90 days' * (1 - (k + 1)::float8 / ?) as at) d`,
      [ACCOUNT, userId, ADMIN_EMAIL, statements, statements]
    )
    await batched(
      `insert into payment_desk_bank_transaction
         (id, bank_statement_id, line, account, dedupe_key, bank_transaction_id, direction, amount, raw_amount, currency_code,
          booking_date, value_date, remittance, structured_reference, end_to_end_id, counterparty_name, counterparty_iban,
          status, match_type, amount_match, order_id, suggested_order_ids, review_reason, decided_by_id, decided_by_email, decided_at,
          decision_note, created_at, updated_at)
       select 'pdbtx_scale_' || i, 'pdbst_scale_' || lpad((i / 1000)::text, 5, '0'), i % 1000 + 1, ?::text, 'scale:' || i, 'BTX' || lpad(i::text, 10, '0'),
              case when st.status = 'ignored' and i % 2 = 0 then 'debit' else 'credit' end,
              m.amount, jsonb_build_object('value', m.amount::text, 'precision', 20), 'eur',
              d.at, d.at,
              case when st.status in ('recorded', 'matched') then 'Order ' || s.display_id || ' ' || ${rf("s.display_id")}
                   when st.status = 'review' then 'Invoice ' || (100000 + i) || ' thanks'
                   else 'Card settlement ' || to_char(d.at, 'YYYY-MM-DD') end,
              case when st.status in ('recorded', 'matched') then replace(${rf("s.display_id")}, ' ', '') end,
              'E2E-' || lpad(i::text, 12, '0'),
              (?::text[])[1 + i % 12] || ' ' || (?::text[])[1 + (i * 5) % 12],
              'DE' || lpad(((i * 7) % 97 + 2)::text, 2, '0') || lpad(i::text, 18, '0'),
              st.status,
              case when st.status in ('recorded', 'matched') then 'reference' when st.status = 'review' and i % 2 = 0 then 'order_number' else 'none' end,
              case when st.status in ('recorded', 'matched') then 'exact' when st.status = 'review' and i % 2 = 0 then 'partial' end,
              case when st.status in ('recorded', 'matched') or (st.status = 'review' and i % 2 = 0) then s.id end,
              case when st.status = 'review' and i % 2 = 1 then jsonb_build_object('ids', jsonb_build_array(s.id)) end,
              case when st.status = 'review' then case when i % 2 = 0 then 'The amount is less than the order''s amount due'
                                                       else 'No order reference in the text' end end,
              case when st.status = 'ignored' and i % 2 = 1 then ?::text end,
              case when st.status = 'ignored' and i % 2 = 1 then ?::text end,
              case when st.status = 'ignored' and i % 2 = 1 then d.at + interval '1 day' end,
              case when st.status = 'ignored' and i % 2 = 1 then 'Not a customer payment' end,
              d.at, d.at
         from generate_series(?, ? - 1) i
         join scale_orders s on s.n = (i::bigint * 7) % ${N}
        cross join lateral (select case when i % 100 < 65 then 'recorded' when i % 100 < 85 then 'review'
                                        when i % 100 < 98 then 'ignored' else 'matched' end as status) st
        cross join lateral (select round((5 + ((i * 29) % 19500) / 100.0)::numeric, 2) as amount) m
        cross join lateral (select now() - interval '90 days' * (1 - (i + 1)::float8 / ${N}) as at) d`,
      0,
      N,
      BATCH,
      [ACCOUNT, FIRST_NAMES, LAST_NAMES, userId, ADMIN_EMAIL]
    )
    await pg.raw(
      `update payment_desk_bank_statement b
          set lines = x.lines, entries = x.lines, credits = x.credits, debits = x.debits, recorded = x.recorded,
              review = x.review, ignored = x.ignored
         from (select bank_statement_id, count(*) as lines, count(*) filter (where direction = 'credit') as credits,
                      count(*) filter (where direction = 'debit') as debits, count(*) filter (where status = 'recorded') as recorded,
                      count(*) filter (where status = 'review') as review, count(*) filter (where status = 'ignored') as ignored
                 from payment_desk_bank_transaction group by bank_statement_id) x
        where x.bank_statement_id = b.id`
    )
  })

  await step("cancellation requests", () =>
    // Orders n with n % 10 in (1, 3, 7): 30 %, all with a customer; a closed order's request was approved.
    pg.raw(
      `insert into payment_desk_cancellation_request
         (id, order_id, customer_id, reason, note, status, answered_by, answer_message, answered_at, order_closure_id, created_at, updated_at)
       select 'pdcrq_scale_' || s.n, s.id, s.customer_id, case when s.n % 3 = 0 then 'other' else 'customer_request' end,
              case when s.n % 3 = 0 then 'Ordered the wrong size' end, st.status,
              case when st.status <> 'open' then ?::text end,
              case st.status when 'declined' then 'The order has already shipped' when 'approved' then 'Your order is canceled' end,
              case when st.status <> 'open' then least(now(), d.at + interval '1 day') end,
              case when st.status = 'approved' then 'pdclo_scale_' || s.n end,
              d.at, d.at
         from scale_orders s
        cross join lateral (select case when s.closed then 'approved' when s.n % 7 < 4 then 'open' else 'declined' end as status) st
        cross join lateral (select least(now(), s.created_at + interval '1 day') as at) d
        where s.n >= ? and s.n % 10 in (1, 3, 7) and s.customer_id is not null
          and (not s.closed or exists (select 1 from payment_desk_order_closure cl where cl.id = 'pdclo_scale_' || s.n))`,
      [userId, T]
    )
  )

  await step("ANALYZE", () =>
    pg.raw(
      `analyze "order", order_line_item, order_item, order_summary, order_payment_collection, payment_collection, payment_session,
               payment, capture, customer, payment_desk_audit_entry, payment_desk_order_closure, payment_desk_refund_request,
               payment_desk_bank_statement, payment_desk_bank_transaction, payment_desk_cancellation_request, payment_desk_awaiting_payment`
    )
  )

  const { rows: fixtureRows } = await pg.raw(
    `select
       (select email from customer c where c.id = 'cus_scale_17') as customer_email,
       (select email from scale_orders where not closed and n >= ? order by n desc limit 1) as order_email,
       (select reference from payment_desk_audit_entry where order_id = ? and action = 'payment_recorded' and reference is not null limit 1)
         as reference_own,
       (select reference from payment_desk_audit_entry where reference like 'RF%' order by id limit 1) as reference_any,
       (select display_id from scale_orders where closed order by n desc limit 1) as closed_display_id,
       (select display_id from scale_orders where not closed and n >= ? order by n desc limit 1) as open_display_id,
       (select count(*)::int from "order") as orders,
       (select count(*)::int from "order" where status = 'canceled') as canceled_orders,
       (select count(*)::int from payment_desk_awaiting_payment) as open_orders,
       (select count(*)::int from customer) as customers,
       (select count(*)::int from payment_desk_audit_entry) as audit_entries,
       (select count(*)::int from payment_desk_audit_entry where order_id = ?) as widget_audit_entries,
       (select count(*)::int from payment_desk_refund_request) as refunds,
       (select count(*)::int from payment_desk_refund_request where order_id = ?) as widget_refunds,
       (select count(*)::int from payment_desk_bank_statement) as bank_statements,
       (select count(*)::int from payment_desk_bank_transaction) as bank_transactions,
       (select count(*)::int from payment_desk_cancellation_request) as cancellation_requests`,
    [T, specialOrderId, T, specialOrderId, specialOrderId]
  )
  await pg.raw(`drop table if exists scale_tpl, scale_orders`)
  const f = fixtureRows[0]
  const fixtures = {
    widget_order_id: specialOrderId,
    customer_email: f.customer_email,
    order_email: f.order_email,
    reference: f.reference_own ?? f.reference_any,
    display_id: f.closed_display_id,
    open_display_id: f.open_display_id,
    counts: {
      orders: f.orders,
      closed_orders: f.canceled_orders,
      open_orders: f.open_orders,
      closures: closedCount,
      customers: f.customers,
      audit_entries: f.audit_entries,
      widget_order_audit_entries: f.widget_audit_entries,
      refunds: f.refunds,
      widget_order_refunds: f.widget_refunds,
      bank_statements: f.bank_statements,
      bank_transactions: f.bank_transactions,
      cancellation_requests: f.cancellation_requests,
    },
    seed_ms: { ...timings, total: Math.round(performance.now() - startedAll) },
  }
  console.log(`[seed-scale] ${JSON.stringify(fixtures.counts)}; ${fixtures.seed_ms.total} ms in all`)
  fs.writeFileSync(process.env.BENCH_FIXTURES!, JSON.stringify(fixtures, null, 2))
}
