CREATE TABLE `offline_credentials` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`verifier` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_issues` (
	`client_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`args_sealed` integer NOT NULL,
	`actor_user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`details` text,
	`received_at` text NOT NULL,
	`discarded_at` text,
	PRIMARY KEY(`client_id`, `mutation_id`)
);
