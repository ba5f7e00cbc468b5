import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * An audit trail with no gaps: each entry names its source (`payment_desk`
 * for the plugin's own actions, `medusa` for Medusa's capture, mark-as-paid
 * and refund buttons); and a job run record for the settings page.
 */
export class Migration20261123230447 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_audit_entry" add column if not exists "source" text check ("source" in ('payment_desk', 'medusa')) not null default 'payment_desk';`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_source_created_at" ON "payment_desk_audit_entry" ("source", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`create table if not exists "payment_desk_job_run" ("id" text not null, "name" text not null, "started_at" timestamptz not null, "finished_at" timestamptz not null, "report" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_job_run_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_job_run_deleted_at" ON "payment_desk_job_run" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_job_run_name_started_at" ON "payment_desk_job_run" ("name", "started_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_job_run" cascade;`)
    this.addSql(`drop index if exists "IDX_payment_desk_audit_entry_source_created_at";`)
    this.addSql(`alter table if exists "payment_desk_audit_entry" drop column if exists "source";`)
  }
}
