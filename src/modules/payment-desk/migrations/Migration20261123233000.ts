import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Indexes for the auto-close sweep's candidate query (Medusa's tables, read
 * by `findOverdueManualPayments`): the open manual payments only (a partial
 * index, small however many orders are paid), and pending orders by
 * `(created_at, id)` so the sweep pages by keyset instead of sorting every
 * candidate on each page. Skipped when the core tables are not there.
 */
export class Migration20261123233000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`DO $$ BEGIN
  IF to_regclass('public.payment') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS "IDX_payment_desk_open_manual_payment" ON "payment" ("payment_collection_id")
      WHERE provider_id LIKE 'pp\\_manual\\_%' AND captured_at IS NULL AND canceled_at IS NULL AND deleted_at IS NULL;
  END IF;
  IF to_regclass('public.order') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS "IDX_payment_desk_pending_order_created" ON "order" ("created_at", "id")
      WHERE status = 'pending' AND deleted_at IS NULL;
  END IF;
END $$;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_open_manual_payment";`)
    this.addSql(`drop index if exists "IDX_payment_desk_pending_order_created";`)
  }
}
