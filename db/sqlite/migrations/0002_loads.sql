CREATE TABLE `load_events` (
	`id` text PRIMARY KEY NOT NULL,
	`load_id` text NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`at` text NOT NULL,
	`occurred_at` text,
	`actor_user_id` text NOT NULL,
	`city` text,
	`state` text,
	`check_call_status` text,
	`eta_at` text,
	`note` text,
	FOREIGN KEY (`load_id`) REFERENCES `loads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `load_events_load_idx` ON `load_events` (`load_id`,`at`);--> statement-breakpoint
CREATE TABLE `loads` (
	`id` text PRIMARY KEY NOT NULL,
	`load_number` text NOT NULL,
	`customer_id` text NOT NULL,
	`carrier_id` text,
	`status` text NOT NULL,
	`origin_line1` text NOT NULL,
	`origin_line2` text,
	`origin_city` text NOT NULL,
	`origin_state` text NOT NULL,
	`origin_zip` text NOT NULL,
	`pickup_start` text NOT NULL,
	`pickup_end` text NOT NULL,
	`dest_line1` text NOT NULL,
	`dest_line2` text,
	`dest_city` text NOT NULL,
	`dest_state` text NOT NULL,
	`dest_zip` text NOT NULL,
	`delivery_start` text NOT NULL,
	`delivery_end` text NOT NULL,
	`commodity` text NOT NULL,
	`weight_lbs` integer NOT NULL,
	`pieces` integer NOT NULL,
	`length_in` integer,
	`width_in` integer,
	`height_in` integer,
	`hazmat` integer NOT NULL,
	`hazmat_un_number` text,
	`equipment_type` text NOT NULL,
	`linehaul_cents` integer NOT NULL,
	`fuel_surcharge_cents` integer NOT NULL,
	`accessorials` text NOT NULL,
	`customer_total_cents` integer NOT NULL,
	`target_carrier_rate_cents` integer,
	`carrier_rate_cents` integer,
	`margin_cents` integer,
	`miles` integer,
	`po_number` text,
	`bol_number` text,
	`pro_number` text,
	`notes` text,
	`rate_at_tender` text,
	`credit_override` text,
	`eta_at` text,
	`last_location_city` text,
	`last_location_state` text,
	`last_check_call_at` text,
	`picked_up_at` text,
	`delivered_at` text,
	`tonu_cents` integer,
	`cancel_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`carrier_id`) REFERENCES `carriers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `loads_load_number_unique` ON `loads` (`load_number`);--> statement-breakpoint
CREATE INDEX `loads_pickup_idx` ON `loads` (`pickup_start`);--> statement-breakpoint
CREATE INDEX `loads_delivery_idx` ON `loads` (`delivery_start`);--> statement-breakpoint
CREATE INDEX `loads_status_pickup_idx` ON `loads` (`status`,`pickup_start`);--> statement-breakpoint
CREATE INDEX `loads_customer_status_idx` ON `loads` (`customer_id`,`status`);--> statement-breakpoint
CREATE INDEX `loads_carrier_status_idx` ON `loads` (`carrier_id`,`status`);--> statement-breakpoint
CREATE INDEX `loads_lane_idx` ON `loads` (`origin_state`,`dest_state`,`carrier_id`);--> statement-breakpoint
CREATE TABLE `number_blocks` (
	`series` text NOT NULL,
	`first` integer NOT NULL,
	`last` integer NOT NULL,
	`next` integer NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`series`, `first`)
);
--> statement-breakpoint
ALTER TABLE `carriers` ADD `loads_delivered` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `carriers` ADD `loads_on_time` integer DEFAULT 0 NOT NULL;