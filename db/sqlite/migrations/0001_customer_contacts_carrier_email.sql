ALTER TABLE `customers` ADD `contacts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `carriers_email_unique` ON `carriers` (`email`);