import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123230230 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_bank_transaction" drop constraint if exists "payment_desk_bank_transaction_account_dedupe_key_unique";`);
    this.addSql(`create table if not exists "payment_desk_bank_statement" ("id" text not null, "file_name" text not null, "format" text not null, "checksum" text not null, "statement_ids" jsonb null, "accounts" jsonb null, "lines" integer not null default 0, "credits" integer not null default 0, "debits" integer not null default 0, "recorded" integer not null default 0, "review" integer not null default 0, "ignored" integer not null default 0, "duplicates" integer not null default 0, "payouts_recorded" integer not null default 0, "imported_by_type" text check ("imported_by_type" in ('user', 'system')) not null default 'user', "imported_by_id" text null, "imported_by_email" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_bank_statement_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_statement_deleted_at" ON "payment_desk_bank_statement" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_statement_created_at" ON "payment_desk_bank_statement" ("created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "payment_desk_bank_transaction" ("id" text not null, "bank_statement_id" text not null, "line" integer not null, "account" text not null, "dedupe_key" text not null, "bank_transaction_id" text null, "direction" text check ("direction" in ('credit', 'debit')) not null, "amount" numeric not null, "currency_code" text not null, "booking_date" timestamptz not null, "value_date" timestamptz null, "remittance" text null, "structured_reference" text null, "end_to_end_id" text null, "counterparty_name" text null, "counterparty_iban" text null, "status" text check ("status" in ('matched', 'recorded', 'review', 'ignored')) not null, "match_type" text check ("match_type" in ('reference', 'order_number', 'end_to_end_id', 'manual', 'none')) not null default 'none', "amount_match" text check ("amount_match" in ('exact', 'partial', 'over', 'currency_mismatch', 'nothing_due')) null, "order_id" text null, "suggested_order_ids" jsonb null, "excess_amount" numeric null, "audit_entry_id" text null, "refund_request_id" text null, "review_reason" text null, "decided_by_id" text null, "decided_by_email" text null, "decided_at" timestamptz null, "decision_note" text null, "raw_amount" jsonb not null, "raw_excess_amount" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_bank_transaction_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_deleted_at" ON "payment_desk_bank_transaction" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_account_dedupe_key_unique" ON "payment_desk_bank_transaction" ("account", "dedupe_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_bank_statement_id_line" ON "payment_desk_bank_transaction" ("bank_statement_id", "line") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_status_booking_date" ON "payment_desk_bank_transaction" ("status", "booking_date") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_order_id" ON "payment_desk_bank_transaction" ("order_id") WHERE order_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_bank_transaction_end_to_end_id" ON "payment_desk_bank_transaction" ("end_to_end_id") WHERE end_to_end_id IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_bank_statement" cascade;`);

    this.addSql(`drop table if exists "payment_desk_bank_transaction" cascade;`);
  }

}
