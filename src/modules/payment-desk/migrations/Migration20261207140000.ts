import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Statement imports whose lines are booked by the workers: how many lines
 * an import handed out (`to_book`), how many are still being booked
 * (`booking`), whether its payouts may be booked (`book_payouts`, the
 * uploader's refund permission); and an index for the scheduled pickup of
 * lines left `matched` (a batch whose worker died, or never delivered).
 */
export class Migration20261207140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "to_book" integer not null default 0, add column if not exists "booking" integer not null default 0, add column if not exists "book_payouts" boolean not null default false;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_updated_at" ON "payment_desk_bank_transaction" ("updated_at") WHERE status = 'matched' AND deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_desk_bank_transaction_updated_at";`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "to_book", drop column if exists "booking", drop column if exists "book_payouts";`)
  }
}
