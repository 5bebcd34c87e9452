CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_user_id` text NOT NULL,
	`client_id` text NOT NULL,
	`mutation_id` integer,
	`mutation_name` text NOT NULL,
	`entity` text NOT NULL,
	`row_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_row_idx` ON `audit_log` (`entity`,`row_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_mutation_idx` ON `audit_log` (`client_id`,`mutation_id`);--> statement-breakpoint
CREATE TABLE `carriers` (
	`id` text PRIMARY KEY NOT NULL,
	`company_name` text NOT NULL,
	`contact_name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`mc_number` text,
	`dot_number` text NOT NULL,
	`authority_status` text NOT NULL,
	`address` text,
	`insurance_policies` text NOT NULL,
	`equipment_types` text NOT NULL,
	`service_areas` text NOT NULL,
	`rating` real NOT NULL,
	`status` text NOT NULL,
	`remit_to_address` text,
	`factoring_company` text,
	`bank_routing_number` text,
	`bank_account_sealed` text,
	`bank_account_last4` text,
	`bank_account_type` text,
	`bank_account_holder` text,
	`bank_changed_at` text,
	`notes` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `carriers_mc_number_unique` ON `carriers` (`mc_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `carriers_dot_number_unique` ON `carriers` (`dot_number`);--> statement-breakpoint
CREATE INDEX `carriers_company_name_idx` ON `carriers` ("company_name" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `carriers_status_idx` ON `carriers` (`status`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`company_name` text NOT NULL,
	`contact_name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`billing_email` text NOT NULL,
	`billing_address` text NOT NULL,
	`shipping_address` text,
	`credit_limit_cents` integer NOT NULL,
	`payment_terms` text NOT NULL,
	`status` text NOT NULL,
	`required_documents` text NOT NULL,
	`notes` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_email_unique` ON `customers` (`email`);--> statement-breakpoint
CREATE INDEX `customers_company_name_idx` ON `customers` ("company_name" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `customers_status_idx` ON `customers` (`status`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`client_id` text NOT NULL,
	`id` integer NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`args_sealed` integer NOT NULL,
	`actor_user_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`client_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `user_prefs` (
	`user_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`user_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`roles` text NOT NULL,
	`password_hash` text NOT NULL,
	`active` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_active_idx` ON `users` (`active`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL
);
