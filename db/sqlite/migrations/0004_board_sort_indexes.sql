DROP INDEX `loads_lane_idx`;--> statement-breakpoint
CREATE INDEX `loads_status_delivery_idx` ON `loads` (`status`,`delivery_start`);--> statement-breakpoint
CREATE INDEX `loads_customer_idx` ON `loads` (`customer_id`);--> statement-breakpoint
CREATE INDEX `loads_carrier_idx` ON `loads` (`carrier_id`);--> statement-breakpoint
CREATE INDEX `loads_number_seq_idx` ON `loads` (CAST(substr("load_number", 2) AS INTEGER));--> statement-breakpoint
CREATE INDEX `loads_status_rank_idx` ON `loads` (CASE "status" WHEN 'PENDING' THEN 0 WHEN 'BOOKED' THEN 1 WHEN 'DISPATCHED' THEN 2 WHEN 'IN_TRANSIT' THEN 3 WHEN 'DELIVERED' THEN 4 WHEN 'INVOICED' THEN 5 WHEN 'CLOSED' THEN 6 WHEN 'CANCELLED' THEN 7 END);--> statement-breakpoint
CREATE INDEX `loads_origin_idx` ON `loads` (`origin_state`,`origin_city`);--> statement-breakpoint
CREATE INDEX `loads_destination_idx` ON `loads` (`dest_state`,`dest_city`);--> statement-breakpoint
CREATE INDEX `loads_customer_total_idx` ON `loads` (`customer_total_cents`);--> statement-breakpoint
CREATE INDEX `loads_carrier_rate_idx` ON `loads` (`carrier_rate_cents`);--> statement-breakpoint
CREATE INDEX `loads_margin_idx` ON `loads` (`margin_cents`);--> statement-breakpoint
CREATE INDEX `loads_miles_idx` ON `loads` (`miles`);--> statement-breakpoint
CREATE INDEX `loads_eta_idx` ON `loads` (`eta_at`);--> statement-breakpoint
CREATE INDEX `loads_updated_idx` ON `loads` (`updated_at`);--> statement-breakpoint
CREATE INDEX `loads_lane_idx` ON `loads` (`origin_state`,`dest_state`,`status`,`carrier_id`);