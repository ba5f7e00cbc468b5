import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"

/**
 * The awaiting-payment read model: one row per open manual payment
 * (`pp_manual_*`, neither captured, canceled nor deleted) of an order that
 * is not canceled, draft, archived or closed by the plugin, with what the
 * cashier's list filters and sorts on (pay-by date, order number, email,
 * method). PostgreSQL keeps it: triggers on Medusa's `payment`,
 * `order_payment_collection` and `order` and on the plugin's closures call
 * {@link AWAITING_SYNC_FUNCTION} for the payments a write touches, in that
 * write's transaction, whichever route, workflow or order edit made it. The
 * list then reads a page through an index instead of working out every open
 * order (the pay-by date is the order's date plus the payment's window: no
 * index on Medusa's tables can sort by it).
 *
 * The table is made by a migration; the functions and triggers by
 * {@link ensureAwaitingPaymentReadModel} at boot, because Medusa creates the
 * link table `order_payment_collection` after the modules' migrations.
 */
export const AWAITING_PAYMENT_TABLE = "payment_desk_awaiting_payment"

/** The SQL function that recomputes the read model's rows of the payments it is given. */
export const AWAITING_SYNC_FUNCTION = "payment_desk_awaiting_sync"

/**
 * The version of the functions and triggers below: a boot that finds
 * another (or none) installs these and rebuilds the table. Raise it with
 * every change to {@link readModelSql}.
 */
export const AWAITING_READ_MODEL_VERSION = "payment-desk awaiting-payment read model v7"

/** The triggers {@link ensureAwaitingPaymentReadModel} installs, on the table each watches. */
export const AWAITING_TRIGGERS = {
  payment_desk_awaiting_payment: "payment",
  payment_desk_awaiting_order_payment_collection: "order_payment_collection",
  payment_desk_awaiting_order: "order",
  payment_desk_awaiting_closure: "payment_desk_order_closure",
} as const

const MANUAL = `like 'pp\\_manual\\_%'`
/**
 * The functions and triggers of the read model, in the order they are
 * created. Each function reads a few rows by their indexes and says so to
 * the planner (no sequential scans, hash or merge joins; a plan made per
 * call, `plan_cache_mode = force_custom_plan`): on tables without fresh
 * statistics (a new store, a bulk import) the planner would otherwise hash
 * or scan whole tables, once per trigger call, or keep a plan PL/pgSQL
 * cached while they were small.
 */
export function readModelSql(): string[] {
  return [
    // One payment at a time, each row read by its key or by one of Medusa's indexes (partial ones
    // by their own conditions), never a join the planner could turn into a scan of a whole table.
    `create or replace function ${AWAITING_SYNC_FUNCTION}(payment_ids text[]) returns void language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
declare
  pid text;
  pay record;
  link record;
  ord record;
  window_hours numeric;
  pay_by timestamptz;
begin
  if payment_ids is null then
    return;
  end if;
  foreach pid in array payment_ids loop
    delete from ${AWAITING_PAYMENT_TABLE} where payment_id = pid;
    select p.id, p.provider_id, p.payment_collection_id, p.data into pay from payment p
     where p.id = pid and p.captured_at is null and p.canceled_at is null and p.deleted_at is null;
    continue when not found;
    continue when pay.provider_id not ${MANUAL};
    select opc.order_id into link from order_payment_collection opc
     where opc.payment_collection_id = pay.payment_collection_id and opc.deleted_at is null
     order by opc.created_at desc limit 1;
    continue when not found;
    select o.id, o.display_id, o.email, o.currency_code, o.created_at into ord from "order" o
     where o.id = link.order_id and o.deleted_at is null and o.status not in ('canceled', 'draft', 'archived');
    continue when not found;
    continue when exists (select 1 from payment_desk_order_closure cl where cl.order_id = ord.id and cl.deleted_at is null);
    pay_by := null;
    if jsonb_typeof(pay.data->'payment_window_hours') = 'number' then
      -- Clamped: no stored value may overflow a timestamp and fail the Medusa write that fired the trigger.
      window_hours := least(greatest((pay.data->>'payment_window_hours')::numeric, 0), 1000000);
      pay_by := ord.created_at + window_hours * interval '1 hour';
    end if;
    insert into ${AWAITING_PAYMENT_TABLE}
      (payment_id, order_id, display_id, email_key, provider_id, currency_code, pay_by, pay_by_key, placed_at)
    values (pay.id, ord.id, coalesce(ord.display_id, 0), lower(ord.email), pay.provider_id, ord.currency_code,
            pay_by, coalesce(pay_by, 'infinity'::timestamptz), ord.created_at)
    on conflict (payment_id) do update set
      order_id = excluded.order_id, display_id = excluded.display_id, email_key = excluded.email_key,
      provider_id = excluded.provider_id, currency_code = excluded.currency_code, pay_by = excluded.pay_by,
      pay_by_key = excluded.pay_by_key, placed_at = excluded.placed_at;
  end loop;
end $fn$`,
    `comment on function ${AWAITING_SYNC_FUNCTION}(text[]) is '${AWAITING_READ_MODEL_VERSION}'`,
    // An order's payments by two index lookups (its live collections, then their live payments: the
    // conditions of Medusa's partial indexes on these columns). No condition on the provider here:
    // without statistics the planner would read every manual payment by the provider's index;
    // the sync function skips the others.
    `create or replace function payment_desk_awaiting_sync_collections(collections text[]) returns void language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
begin
  perform ${AWAITING_SYNC_FUNCTION}(array(
    select p.id from payment p where p.payment_collection_id = any(collections) and p.deleted_at is null));
end $fn$`,
    `create or replace function payment_desk_awaiting_sync_orders(orders text[]) returns void language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
begin
  perform payment_desk_awaiting_sync_collections(array(
    select opc.payment_collection_id from order_payment_collection opc
     where opc.order_id = any(orders) and opc.deleted_at is null));
end $fn$`,
    `create or replace function payment_desk_awaiting_on_payment() returns trigger language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
begin
  if tg_op = 'DELETE' then
    if old.provider_id ${MANUAL} then
      delete from ${AWAITING_PAYMENT_TABLE} where payment_id = old.id;
    end if;
  elsif new.provider_id ${MANUAL} or (tg_op = 'UPDATE' and old.provider_id ${MANUAL}) then
    if tg_op = 'INSERT' or new.captured_at is distinct from old.captured_at or new.canceled_at is distinct from old.canceled_at
       or new.deleted_at is distinct from old.deleted_at or new.payment_collection_id is distinct from old.payment_collection_id
       or new.provider_id is distinct from old.provider_id or new.data is distinct from old.data then
      perform ${AWAITING_SYNC_FUNCTION}(array[new.id]::text[]);
    end if;
  end if;
  return null;
end $fn$`,
    `create or replace function payment_desk_awaiting_on_order_payment_collection() returns trigger language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
declare
  collections text[];
begin
  if tg_op = 'INSERT' then
    collections := array[new.payment_collection_id]::text[];
  elsif tg_op = 'DELETE' then
    collections := array[old.payment_collection_id]::text[];
  else
    collections := array[new.payment_collection_id, old.payment_collection_id]::text[];
  end if;
  perform payment_desk_awaiting_sync_collections(collections);
  return null;
end $fn$`,
    `create or replace function payment_desk_awaiting_on_order() returns trigger language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
begin
  if old.status is distinct from new.status or old.email is distinct from new.email
     or old.deleted_at is distinct from new.deleted_at or old.created_at is distinct from new.created_at
     or old.display_id is distinct from new.display_id or old.currency_code is distinct from new.currency_code then
    perform payment_desk_awaiting_sync_orders(array[new.id]::text[]);
  end if;
  return null;
end $fn$`,
    `create or replace function payment_desk_awaiting_on_closure() returns trigger language plpgsql
  set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $fn$
declare
  orders text[];
begin
  if tg_op = 'INSERT' then
    orders := array[new.order_id]::text[];
  elsif tg_op = 'DELETE' then
    orders := array[old.order_id]::text[];
  else
    orders := array[new.order_id, old.order_id]::text[];
  end if;
  perform payment_desk_awaiting_sync_orders(orders);
  return null;
end $fn$`,
    // No column lists and no WHEN conditions: they would make PostgreSQL refuse a later Medusa
    // migration that changes one of these columns' type; the functions test what changed.
    `drop trigger if exists payment_desk_awaiting_payment on payment`,
    `create trigger payment_desk_awaiting_payment after insert or update or delete on payment
       for each row execute procedure payment_desk_awaiting_on_payment()`,
    `drop trigger if exists payment_desk_awaiting_order_payment_collection on order_payment_collection`,
    `create trigger payment_desk_awaiting_order_payment_collection after insert or update or delete on order_payment_collection
       for each row execute procedure payment_desk_awaiting_on_order_payment_collection()`,
    `drop trigger if exists payment_desk_awaiting_order on "order"`,
    `create trigger payment_desk_awaiting_order after update on "order"
       for each row execute procedure payment_desk_awaiting_on_order()`,
    `drop trigger if exists payment_desk_awaiting_closure on payment_desk_order_closure`,
    `create trigger payment_desk_awaiting_closure after insert or update or delete on payment_desk_order_closure
       for each row execute procedure payment_desk_awaiting_on_closure()`,
  ]
}

/** The statements that remove the functions and triggers (the migration's `down`). */
export function dropReadModelSql(): string[] {
  return [
    ...Object.entries(AWAITING_TRIGGERS).map(
      ([name, table]) => `DO $$ BEGIN IF to_regclass('public."${table}"') IS NOT NULL THEN DROP TRIGGER IF EXISTS ${name} ON "${table}"; END IF; END $$;`
    ),
    `drop function if exists payment_desk_awaiting_on_payment()`,
    `drop function if exists payment_desk_awaiting_on_order_payment_collection()`,
    `drop function if exists payment_desk_awaiting_on_order()`,
    `drop function if exists payment_desk_awaiting_on_closure()`,
    `drop function if exists payment_desk_awaiting_sync_orders(text[])`,
    `drop function if exists payment_desk_awaiting_sync_collections(text[])`,
    `drop function if exists ${AWAITING_SYNC_FUNCTION}(text[])`,
  ]
}

/** What {@link ensureAwaitingPaymentReadModel} found and did. */
export type ReadModelState =
  | { state: "current" }
  | { state: "installed"; rows: number }
  | { state: "missing_tables"; tables: string[] }

/**
 * Installs the read model's functions and triggers when they are missing or
 * of another version, and then rebuilds the table from Medusa's tables, in
 * one transaction under an advisory lock (several workers may boot at once).
 * When everything is in place it costs one query. Tables it needs but does
 * not find (a database not migrated yet) are reported, not created.
 */
export async function ensureAwaitingPaymentReadModel(knex: Knex): Promise<ReadModelState> {
  const tables = [...new Set([...Object.values(AWAITING_TRIGGERS), AWAITING_PAYMENT_TABLE])]
  const triggerNames = Object.keys(AWAITING_TRIGGERS)
  const probe = async (db: Knex | Knex.Transaction) => {
    const { rows } = await db.raw(
      `select array(select t from unnest(?::text[]) t where to_regclass('public."' || t || '"') is null) as missing,
              (select count(*)::int from pg_trigger where not tgisinternal and tgname = any(?::text[])) as triggers,
              coalesce(obj_description(to_regprocedure('${AWAITING_SYNC_FUNCTION}(text[])'), 'pg_proc'), '') as version`,
      [tables, triggerNames]
    )
    return rows[0] as { missing: string[]; triggers: number; version: string }
  }
  const current = (found: { missing: string[]; triggers: number; version: string }) =>
    found.triggers === triggerNames.length && found.version === AWAITING_READ_MODEL_VERSION
  const first = await probe(knex)
  if (first.missing.length) {
    return { state: "missing_tables", tables: first.missing }
  }
  if (current(first)) {
    return { state: "current" }
  }
  return knex.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [AWAITING_PAYMENT_TABLE])
    if (current(await probe(trx))) {
      return { state: "current" } as const
    }
    for (const statement of readModelSql()) {
      await trx.raw(statement)
    }
    await trx.raw(`delete from ${AWAITING_PAYMENT_TABLE}`)
    await trx.raw(
      `select ${AWAITING_SYNC_FUNCTION}(array(select id from payment p where p.provider_id ${MANUAL}
          and p.captured_at is null and p.canceled_at is null and p.deleted_at is null))`
    )
    const { rows } = await trx.raw(`select count(*)::int as rows from ${AWAITING_PAYMENT_TABLE}`)
    return { state: "installed", rows: rows[0].rows } as const
  })
}
