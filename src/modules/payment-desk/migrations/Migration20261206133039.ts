import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261206133039 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_receipt" drop constraint if exists "payment_desk_receipt_capture_id_unique";`);
    this.addSql(`alter table if exists "payment_desk_receipt" drop constraint if exists "payment_desk_receipt_key_unique";`);
    this.addSql(`create table if not exists "payment_desk_receipt" ("id" text not null, "key" text not null, "order_id" text not null, "payment_collection_id" text not null, "payment_id" text null, "amount" numeric not null, "currency_code" text not null, "status" text check ("status" in ('capturing', 'captured', 'recorded', 'abandoned')) not null default 'capturing', "capture_id" text null, "audit_entry_id" text null, "captured_by" text null, "captures_before" jsonb not null, "request" jsonb not null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_receipt_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_receipt_deleted_at" ON "payment_desk_receipt" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_receipt_key_unique" ON "payment_desk_receipt" ("key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_receipt_order_id" ON "payment_desk_receipt" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_receipt_status_created_at" ON "payment_desk_receipt" ("status", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_receipt_capture_id_unique" ON "payment_desk_receipt" ("capture_id") WHERE capture_id IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_receipt" cascade;`);
  }

}
