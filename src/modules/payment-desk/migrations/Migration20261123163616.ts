import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123163616 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_idempotency_record" drop constraint if exists "payment_desk_idempotency_record_scope_key_unique";`);
    this.addSql(`create table if not exists "payment_desk_audit_entry" ("id" text not null, "order_id" text not null, "payment_id" text null, "action" text not null, "actor_type" text check ("actor_type" in ('user', 'customer', 'system')) not null, "actor_id" text null, "actor_email" text null, "amount" numeric null, "currency_code" text null, "method" text null, "reference" text null, "received_at" timestamptz null, "note" text null, "payment_status_before" text null, "payment_status_after" text null, "order_payment_status_before" text null, "order_payment_status_after" text null, "ip" text null, "user_agent" text null, "idempotency_key" text null, "metadata" jsonb null, "raw_amount" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_audit_entry_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_deleted_at" ON "payment_desk_audit_entry" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_order_id_created_at" ON "payment_desk_audit_entry" ("order_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_action" ON "payment_desk_audit_entry" ("action") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_actor_id" ON "payment_desk_audit_entry" ("actor_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_audit_entry_created_at" ON "payment_desk_audit_entry" ("created_at") WHERE deleted_at IS NULL;`);

    // Append-only at the database too: no UPDATE of an audit entry ever succeeds.
    this.addSql(`create or replace function "payment_desk_audit_entry_append_only"() returns trigger language plpgsql as $$ begin raise exception 'payment_desk_audit_entry is append-only: entries cannot be updated'; end $$;`);
    this.addSql(`drop trigger if exists "payment_desk_audit_entry_no_update" on "payment_desk_audit_entry";`);
    this.addSql(`create trigger "payment_desk_audit_entry_no_update" before update on "payment_desk_audit_entry" for each row execute function "payment_desk_audit_entry_append_only"();`);

    this.addSql(`create table if not exists "payment_desk_idempotency_record" ("id" text not null, "scope" text not null, "key" text not null, "request_hash" text not null, "state" text check ("state" in ('in_progress', 'completed')) not null default 'in_progress', "response_status" integer null, "response_body" jsonb null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_idempotency_record_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_idempotency_record_deleted_at" ON "payment_desk_idempotency_record" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_idempotency_record_scope_key_unique" ON "payment_desk_idempotency_record" ("scope", "key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_idempotency_record_expires_at" ON "payment_desk_idempotency_record" ("expires_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_audit_entry" cascade;`);
    this.addSql(`drop function if exists "payment_desk_audit_entry_append_only"();`);

    this.addSql(`drop table if exists "payment_desk_idempotency_record" cascade;`);
  }

}
