import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Customers' cancellation requests (plugin option `store_close: "request"`):
 * at most one open request per order (partial unique index).
 */
export class Migration20261123230535 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "payment_desk_cancellation_request" ("id" text not null, "order_id" text not null, "customer_id" text not null, "reason" text check ("reason" in ('customer_request', 'payment_timeout', 'out_of_stock', 'fraud_suspected', 'other')) not null, "note" text null, "status" text check ("status" in ('open', 'approved', 'declined')) not null default 'open', "answered_by" text null, "answer_message" text null, "answered_at" timestamptz null, "order_closure_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_cancellation_request_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_cancellation_request_deleted_at" ON "payment_desk_cancellation_request" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_cancellation_request_order_id_unique" ON "payment_desk_cancellation_request" ("order_id") WHERE status = 'open' AND deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_cancellation_request_order_id" ON "payment_desk_cancellation_request" ("order_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_cancellation_request_status_created_at" ON "payment_desk_cancellation_request" ("status", "created_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_cancellation_request" cascade;`)
  }
}
