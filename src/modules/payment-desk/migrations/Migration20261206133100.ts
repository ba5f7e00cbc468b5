import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * SEPA payout exports: each file handed out (message id, refunds, payments,
 * who), and on each refund the export that holds it, so a refund goes into
 * one normal export only.
 */
export class Migration20261206133100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "payment_desk_payout_export" ("id" text not null, "message_id" text not null, "re_export_of" text null, "refund_request_ids" jsonb not null, "payments" jsonb not null, "payment_count" integer not null, "total" numeric not null, "currency_code" text not null, "execution_date" text not null, "exported_by_type" text check ("exported_by_type" in ('user', 'customer', 'system')) not null, "exported_by_id" text null, "raw_total" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_payout_export_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_payout_export_deleted_at" ON "payment_desk_payout_export" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_payout_export_message_id_unique" ON "payment_desk_payout_export" ("message_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_payout_export_created_at" ON "payment_desk_payout_export" ("created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_payout_export_re_export_of" ON "payment_desk_payout_export" ("re_export_of") WHERE deleted_at IS NULL;`)

    this.addSql(`alter table if exists "payment_desk_refund_request" add column if not exists "payout_export_id" text null;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_payout_export_id" ON "payment_desk_refund_request" ("payout_export_id") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_payout_export" cascade;`)

    this.addSql(`drop index if exists "IDX_payment_desk_refund_request_payout_export_id";`)
    this.addSql(`alter table if exists "payment_desk_refund_request" drop column if exists "payout_export_id";`)
  }
}
