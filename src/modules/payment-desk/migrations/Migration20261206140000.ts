import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Keeps whether a statement line is a reversal (CAMT `RvslInd`, MT940
 * `RC`/`RD`): a reversed credit is booked as a refund of the order's receipt,
 * and the order is flagged until it is booked or ignored.
 */
export class Migration20261206140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_transaction" add column if not exists "reversal" boolean not null default false;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_transaction" drop column if exists "reversal";`)
  }
}
