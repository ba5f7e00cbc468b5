import { Migration } from "@medusajs/framework/mikro-orm/migrations"
import { dropReadModelSql } from "../awaiting-payments"

/**
 * The awaiting-payment read model's table (see `awaiting-payments.ts`): one
 * row per open manual payment, indexed in each order the cashier's list
 * sorts by (`pay_by_key` is the pay-by date, `infinity` for a method without
 * a window, so that it sorts last and pages by keyset), by method, by order
 * number and by the start of the order's email. PostgreSQL's triggers fill
 * it; they and their functions are installed at boot, after Medusa has made
 * its link tables, so `down` removes them with the table.
 */
export class Migration20261207090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "payment_desk_awaiting_payment" (
      "payment_id" text not null,
      "order_id" text not null,
      "display_id" integer not null,
      "email_key" text null,
      "provider_id" text not null,
      "currency_code" text not null,
      "pay_by" timestamptz null,
      "pay_by_key" timestamptz not null,
      "placed_at" timestamptz not null,
      constraint "payment_desk_awaiting_payment_pkey" primary key ("payment_id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_awaiting_payment_pay_by" ON "payment_desk_awaiting_payment" ("pay_by_key", "display_id", "payment_id");`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_awaiting_payment_method_pay_by" ON "payment_desk_awaiting_payment" ("provider_id", "pay_by_key", "display_id", "payment_id");`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_awaiting_payment_display_id" ON "payment_desk_awaiting_payment" ("display_id", "payment_id");`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_awaiting_payment_email" ON "payment_desk_awaiting_payment" ("email_key" text_pattern_ops) WHERE "email_key" IS NOT NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_awaiting_payment_order_id" ON "payment_desk_awaiting_payment" ("order_id");`)
  }

  override async down(): Promise<void> {
    for (const statement of dropReadModelSql()) {
      this.addSql(`${statement};`)
    }
    this.addSql(`drop table if exists "payment_desk_awaiting_payment" cascade;`)
  }
}
