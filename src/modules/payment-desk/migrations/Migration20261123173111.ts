import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123173111 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_desk_order_closure" drop constraint if exists "payment_desk_order_closure_order_id_unique";`);
    this.addSql(`alter table if exists "payment_desk_counter" drop constraint if exists "payment_desk_counter_scope_name_unique";`);
    this.addSql(`alter table if exists "payment_desk_closure_effect" drop constraint if exists "payment_desk_closure_effect_order_closure_id_effect_unique";`);
    this.addSql(`create table if not exists "payment_desk_closure_effect" ("id" text not null, "order_closure_id" text not null, "effect" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_closure_effect_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_closure_effect_deleted_at" ON "payment_desk_closure_effect" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_closure_effect_order_closure_id_effect_unique" ON "payment_desk_closure_effect" ("order_closure_id", "effect") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "payment_desk_counter" ("id" text not null, "scope" text not null, "name" text not null, "value" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_counter_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_counter_deleted_at" ON "payment_desk_counter" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_counter_scope_name_unique" ON "payment_desk_counter" ("scope", "name") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "payment_desk_order_closure" ("id" text not null, "order_id" text not null, "actor_type" text check ("actor_type" in ('user', 'customer', 'system')) not null, "actor_id" text null, "reason" text check ("reason" in ('customer_request', 'payment_timeout', 'out_of_stock', 'fraud_suspected', 'other')) not null, "note" text null, "notify_customer" boolean not null default true, "refund_request_ids" jsonb null, "refunded_amount" numeric not null, "currency_code" text not null, "payment_method" text null, "customer_id" text null, "sales_channel_id" text null, "ip" text null, "user_agent" text null, "source" text not null, "closed_at" timestamptz not null, "raw_refunded_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_desk_order_closure_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_deleted_at" ON "payment_desk_order_closure" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_order_id_unique" ON "payment_desk_order_closure" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_desk_order_closure_closed_at" ON "payment_desk_order_closure" ("closed_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_desk_closure_effect" cascade;`);

    this.addSql(`drop table if exists "payment_desk_counter" cascade;`);

    this.addSql(`drop table if exists "payment_desk_order_closure" cascade;`);
  }

}
