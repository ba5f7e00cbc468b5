import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123170442 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_webhook_event" drop constraint if exists "payment_desk_webhook_event_provider_event_id_unique";`);
    this.addSql(`alter table if exists "payment_desk_refund_request" drop constraint if exists "payment_desk_refund_request_payment_id_idempotency_key_unique";`);
    this.addSql(`create table if not exists "payment_desk_refund_request" ("id" text not null, "order_id" text not null, "payment_id" text not null, "provider_id" text not null, "amount" numeric not null, "currency_code" text not null, "status" text check ("status" in ('pending', 'succeeded', 'failed', 'requires_action', 'awaiting_payout', 'canceled')) not null default 'pending', "idempotency_key" text not null, "provider_refund_id" text null, "medusa_refund_id" text null, "refund_reason_id" text null, "note" text null, "notify_customer" boolean not null default false, "attempts" integer not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "requested_by_type" text check ("requested_by_type" in ('user', 'customer', 'system')) not null, "requested_by_id" text null, "requested_at" timestamptz not null, "settled_at" timestamptz null, "payout_reference" text null, "attempt_log" jsonb null, "metadata" jsonb null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_refund_request_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_deleted_at" ON "payment_desk_refund_request" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_payment_id_idempotency_key_unique" ON "payment_desk_refund_request" ("payment_id", "idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_order_id" ON "payment_desk_refund_request" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_status_updated_at" ON "payment_desk_refund_request" ("status", "updated_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_status_next_attempt_at" ON "payment_desk_refund_request" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_provider_refund_id" ON "payment_desk_refund_request" ("provider_refund_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "payment_desk_webhook_event" ("id" text not null, "provider" text not null, "event_id" text not null, "type" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_webhook_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_webhook_event_deleted_at" ON "payment_desk_webhook_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_webhook_event_provider_event_id_unique" ON "payment_desk_webhook_event" ("provider", "event_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_refund_request" cascade;`);

    this.addSql(`drop table if exists "payment_desk_webhook_event" cascade;`);
  }

}
