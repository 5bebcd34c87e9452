CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor_user_id" text NOT NULL,
	"client_id" text NOT NULL,
	"mutation_id" bigint,
	"mutation_name" text NOT NULL,
	"entity" text NOT NULL,
	"row_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "carriers" (
	"id" text PRIMARY KEY NOT NULL,
	"company_name" text NOT NULL,
	"contact_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"mc_number" text,
	"dot_number" text NOT NULL,
	"authority_status" text NOT NULL,
	"address" jsonb,
	"insurance_policies" jsonb NOT NULL,
	"equipment_types" jsonb NOT NULL,
	"service_areas" jsonb NOT NULL,
	"rating" double precision NOT NULL,
	"status" text NOT NULL,
	"remit_to_address" jsonb,
	"factoring_company" jsonb,
	"bank_routing_number" text,
	"bank_account_sealed" text,
	"bank_account_last4" text,
	"bank_account_type" text,
	"bank_account_holder" text,
	"bank_changed_at" text,
	"loads_delivered" bigint DEFAULT 0 NOT NULL,
	"loads_on_time" bigint DEFAULT 0 NOT NULL,
	"notes" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"entity" text NOT NULL,
	"row_id" text NOT NULL,
	"op" text NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "change_log_entity_row_id_pk" PRIMARY KEY("entity","row_id")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"company_name" text NOT NULL,
	"contact_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"billing_email" text NOT NULL,
	"billing_address" jsonb NOT NULL,
	"shipping_address" jsonb,
	"credit_limit_cents" bigint NOT NULL,
	"payment_terms" text NOT NULL,
	"status" text NOT NULL,
	"required_documents" jsonb NOT NULL,
	"notes" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_events" (
	"id" text PRIMARY KEY NOT NULL,
	"load_id" text NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"at" text NOT NULL,
	"occurred_at" text,
	"actor_user_id" text NOT NULL,
	"city" text,
	"state" text,
	"check_call_status" text,
	"eta_at" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "loads" (
	"id" text PRIMARY KEY NOT NULL,
	"load_number" text NOT NULL,
	"customer_id" text NOT NULL,
	"carrier_id" text,
	"status" text NOT NULL,
	"origin_line1" text NOT NULL,
	"origin_line2" text,
	"origin_city" text NOT NULL,
	"origin_state" text NOT NULL,
	"origin_zip" text NOT NULL,
	"pickup_start" text NOT NULL,
	"pickup_end" text NOT NULL,
	"dest_line1" text NOT NULL,
	"dest_line2" text,
	"dest_city" text NOT NULL,
	"dest_state" text NOT NULL,
	"dest_zip" text NOT NULL,
	"delivery_start" text NOT NULL,
	"delivery_end" text NOT NULL,
	"commodity" text NOT NULL,
	"weight_lbs" bigint NOT NULL,
	"pieces" bigint NOT NULL,
	"length_in" bigint,
	"width_in" bigint,
	"height_in" bigint,
	"hazmat" boolean NOT NULL,
	"hazmat_un_number" text,
	"equipment_type" text NOT NULL,
	"linehaul_cents" bigint NOT NULL,
	"fuel_surcharge_cents" bigint NOT NULL,
	"accessorials" jsonb NOT NULL,
	"customer_total_cents" bigint NOT NULL,
	"target_carrier_rate_cents" bigint,
	"carrier_rate_cents" bigint,
	"margin_cents" bigint,
	"miles" bigint,
	"po_number" text,
	"bol_number" text,
	"pro_number" text,
	"notes" text,
	"rate_at_tender" jsonb,
	"credit_override" jsonb,
	"eta_at" text,
	"last_location_city" text,
	"last_location_state" text,
	"last_check_call_at" text,
	"picked_up_at" text,
	"delivered_at" text,
	"tonu_cents" bigint,
	"cancel_reason" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mutation_results" (
	"client_id" text NOT NULL,
	"mutation_id" bigint NOT NULL,
	"client_group_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"code" text,
	"message" text,
	"details" jsonb,
	"version" bigint NOT NULL,
	"processed_at" text NOT NULL,
	CONSTRAINT "mutation_results_client_id_mutation_id_pk" PRIMARY KEY("client_id","mutation_id")
);
--> statement-breakpoint
CREATE TABLE "number_leases" (
	"series" text NOT NULL,
	"first" bigint NOT NULL,
	"last" bigint NOT NULL,
	"client_group_id" text NOT NULL,
	"leased_at" text NOT NULL,
	CONSTRAINT "number_leases_series_first_pk" PRIMARY KEY("series","first")
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text,
	"revoked_at" text,
	CONSTRAINT "refresh_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "server_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_client_groups" (
	"client_group_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"client_group_id" text NOT NULL,
	"user_id" text NOT NULL,
	"last_mutation_id" bigint DEFAULT 0 NOT NULL,
	"last_seen_at" text
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "sync_state_singleton" CHECK ("sync_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"roles" jsonb NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "load_events" ADD CONSTRAINT "load_events_load_id_loads_id_fk" FOREIGN KEY ("load_id") REFERENCES "public"."loads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loads" ADD CONSTRAINT "loads_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loads" ADD CONSTRAINT "loads_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_row_idx" ON "audit_log" USING btree ("entity","row_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_mutation_idx" ON "audit_log" USING btree ("client_id","mutation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "carriers_mc_number_unique" ON "carriers" USING btree ("mc_number");--> statement-breakpoint
CREATE UNIQUE INDEX "carriers_dot_number_unique" ON "carriers" USING btree ("dot_number");--> statement-breakpoint
CREATE UNIQUE INDEX "carriers_email_unique" ON "carriers" USING btree ("email");--> statement-breakpoint
CREATE INDEX "change_log_version_idx" ON "change_log" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_email_unique" ON "customers" USING btree ("email");--> statement-breakpoint
CREATE INDEX "load_events_load_idx" ON "load_events" USING btree ("load_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "loads_load_number_unique" ON "loads" USING btree ("load_number");--> statement-breakpoint
CREATE INDEX "loads_customer_idx" ON "loads" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "loads_carrier_idx" ON "loads" USING btree ("carrier_id");--> statement-breakpoint
CREATE INDEX "loads_status_idx" ON "loads" USING btree ("status");--> statement-breakpoint
CREATE INDEX "mutation_results_group_version_idx" ON "mutation_results" USING btree ("client_group_id","version");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "sync_clients_group_idx" ON "sync_clients" USING btree ("client_group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_active_idx" ON "users" USING btree ("active");