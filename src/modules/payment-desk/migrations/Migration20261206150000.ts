import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Keeps how many entries an imported file holds and every entry it stored as
 * no line, with why (a duplicate of a named earlier line, pending, zero
 * amount, another account), so an import's report accounts for each entry.
 */
export class Migration20261206150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "entries" integer not null default 0;`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" add column if not exists "skipped" jsonb null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "skipped";`)
    this.addSql(`alter table if exists "payment_desk_bank_statement" drop column if exists "entries";`)
  }
}
