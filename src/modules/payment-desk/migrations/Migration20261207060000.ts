import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Indexes that let the desk's lists read a page of a large store without
 * reading the table:
 * - the refunds list and the bank lines list are sorted by `(created_at, id)`
 *   and `(booking_date, line, id)`: an index in that order serves any page;
 * - the audit list by `(created_at, id)` (replacing the index on `created_at`);
 * - the audit search matches the start of a reference without spaces and
 *   case: `reference_key` holds it (written with each entry; filled here for
 *   older ones, the append-only trigger set aside for that one update), and
 *   an index with `text_pattern_ops` serves `LIKE 'RF18…%'` in any collation.
 */
export class Migration20261207060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_refund_request_created_at_id" ON "payment_desk_refund_request" ("created_at", "id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_booking_date_line_id" ON "payment_desk_bank_transaction" ("booking_date", "line", "id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_created_at_id" ON "payment_desk_audit_entry" ("created_at", "id") WHERE deleted_at IS NULL;`)
    this.addSql(`DROP INDEX IF EXISTS "IDX_payment_desk_audit_entry_created_at";`)
    this.addSql(`alter table if exists "payment_desk_audit_entry" add column if not exists "reference_key" text null;`)
    // The trail refuses updates (a trigger): set aside for this one fill of a derived column, in the migration's transaction.
    this.addSql(`alter table "payment_desk_audit_entry" disable trigger "payment_desk_audit_entry_no_update";`)
    this.addSql(`update "payment_desk_audit_entry" set "reference_key" = upper(regexp_replace("reference", '[ \\t\\n\\r\\f\\v]', '', 'g')) where "reference" is not null and "reference_key" is null;`)
    this.addSql(`alter table "payment_desk_audit_entry" enable trigger "payment_desk_audit_entry_no_update";`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_reference_key" ON "payment_desk_audit_entry" ("reference_key" text_pattern_ops) WHERE deleted_at IS NULL AND "reference_key" IS NOT NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_audit_entry_reference_key";`)
    this.addSql(`alter table if exists "payment_desk_audit_entry" drop column if exists "reference_key";`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_created_at" ON "payment_desk_audit_entry" ("created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`drop index if exists "IDX_payment_desk_audit_entry_created_at_id";`)
    this.addSql(`drop index if exists "IDX_payment_desk_bank_transaction_booking_date_line_id";`)
    this.addSql(`drop index if exists "IDX_payment_desk_refund_request_created_at_id";`)
  }
}
