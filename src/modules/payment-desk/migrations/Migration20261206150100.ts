import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * A statement import is stored in pages under a `staging` status and shown
 * only once `imported`; it keeps how many rows its file marked pending and
 * the summary rows at its end (CSV), which were read and not imported.
 */
export class Migration20261206150100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "status" text check ("status" in ('staging', 'imported')) not null default 'imported';`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "pending" integer not null default 0;`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "summary_rows" jsonb null;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_statement_status" ON "payment_desk_bank_statement" ("status") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_bank_statement_status";`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "summary_rows";`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "pending";`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "status";`)
  }
}
