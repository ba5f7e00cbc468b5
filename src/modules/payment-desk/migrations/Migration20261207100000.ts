import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Indexes for the closed-orders search (`q`), which looks up the orders and
 * customers it names before their closures: the start of the order's and
 * the customer's email and of the customer's name, in lower case
 * (`text_pattern_ops`, so that `LIKE 'grace%'` uses them in any collation),
 * and the closures by customer. Medusa's tables are skipped when absent.
 */
export class Migration20261207100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_customer_id" ON "payment_desk_order_closure" ("customer_id") WHERE deleted_at IS NULL;`)
    this.addSql(`DO $$ BEGIN
  IF to_regclass('public.order') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_email_prefix" ON "order" (lower("email") text_pattern_ops) WHERE deleted_at IS NULL;
  END IF;
  IF to_regclass('public.customer') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS "IDX_payment_desk_customer_email_prefix" ON "customer" (lower("email") text_pattern_ops) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS "IDX_payment_desk_customer_name_prefix" ON "customer"
      (lower(coalesce("first_name", '') || ' ' || coalesce("last_name", '')) text_pattern_ops) WHERE deleted_at IS NULL;
  END IF;
END $$;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_customer_name_prefix";`)
    this.addSql(`drop index if exists "IDX_payment_desk_customer_email_prefix";`)
    this.addSql(`drop index if exists "IDX_payment_desk_order_email_prefix";`)
    this.addSql(`drop index if exists "IDX_payment_desk_order_closure_customer_id";`)
  }
}
