import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The money core: a refund's dispatch is recorded before its provider call
 * (provider_key, dispatched_at), a caller's Idempotency-Key is bound to the
 * ledger row it created (request_key), audit facts are written once
 * (dedupe_key), and an in-progress Idempotency-Key has a lease.
 */
export class Migration20261123201502 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_refund_request" add column if not exists "provider_key" text null, add column if not exists "dispatched_at" timestamptz null, add column if not exists "request_key" text null;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_request_key_unique" ON "payment_desk_refund_request" ("request_key") WHERE request_key IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`alter table if exists "payment_desk_audit_entry" add column if not exists "dedupe_key" text null;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_dedupe_key_unique" ON "payment_desk_audit_entry" ("dedupe_key") WHERE dedupe_key IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_idempotency_key" ON "payment_desk_audit_entry" ("idempotency_key") WHERE idempotency_key IS NOT NULL AND deleted_at IS NULL;`)
    this.addSql(`alter table if exists "payment_desk_idempotency_record" add column if not exists "lease_expires_at" timestamptz null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_refund_request_request_key_unique";`)
    this.addSql(`alter table if exists "payment_desk_refund_request" drop column if exists "provider_key", drop column if exists "dispatched_at", drop column if exists "request_key";`)
    this.addSql(`drop index if exists "IDX_payment_desk_audit_entry_dedupe_key_unique";`)
    this.addSql(`drop index if exists "IDX_payment_desk_audit_entry_idempotency_key";`)
    this.addSql(`alter table if exists "payment_desk_audit_entry" drop column if exists "dedupe_key";`)
    this.addSql(`alter table if exists "payment_desk_idempotency_record" drop column if exists "lease_expires_at";`)
  }
}
