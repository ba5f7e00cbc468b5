import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The closed-orders list is sorted by `(closed_at, id)` and pages by keyset
 * in that order: an index on both serves any page, the first, the last or
 * one after a cursor, without a sort (replacing the index on `closed_at`,
 * whose range filters it serves as well).
 */
export class Migration20261207120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_closed_at_id" ON "payment_desk_order_closure" ("closed_at", "id") WHERE deleted_at IS NULL;`)
    this.addSql(`DROP INDEX IF EXISTS "IDX_payment_desk_order_closure_closed_at";`)
  }

  override async down(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_closed_at" ON "payment_desk_order_closure" ("closed_at") WHERE deleted_at IS NULL;`)
    this.addSql(`drop index if exists "IDX_payment_desk_order_closure_closed_at_id";`)
  }
}
