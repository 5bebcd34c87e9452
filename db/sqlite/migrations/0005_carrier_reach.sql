-- Carrier matching looks up carriers by (equipment type, state) instead of reading the equipment
-- and service-area lists of all 20,000 carriers for every load. One row per pair a carrier runs,
-- derived from carriers.equipment_types × carriers.service_areas and kept current by triggers in
-- the same transaction as the carrier row. (Hand-written: local to the desktop store, never synced.)
CREATE TABLE `carrier_reach` (
  `equipment_type` text NOT NULL,
  `state` text NOT NULL,
  `carrier_id` text NOT NULL,
  PRIMARY KEY (`equipment_type`, `state`, `carrier_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `carrier_reach_carrier_idx` ON `carrier_reach` (`carrier_id`);
--> statement-breakpoint
INSERT INTO carrier_reach (equipment_type, state, carrier_id)
  SELECT DISTINCT e.value, s.value, c.id FROM carriers c, json_each(c.equipment_types) e, json_each(c.service_areas) s;
--> statement-breakpoint
CREATE TRIGGER `carrier_reach_insert` AFTER INSERT ON `carriers` BEGIN
  INSERT OR IGNORE INTO carrier_reach (equipment_type, state, carrier_id)
    SELECT e.value, s.value, new.id FROM json_each(new.equipment_types) e, json_each(new.service_areas) s;
END;
--> statement-breakpoint
CREATE TRIGGER `carrier_reach_update` AFTER UPDATE OF equipment_types, service_areas ON `carriers` BEGIN
  DELETE FROM carrier_reach WHERE carrier_id = old.id;
  INSERT OR IGNORE INTO carrier_reach (equipment_type, state, carrier_id)
    SELECT e.value, s.value, new.id FROM json_each(new.equipment_types) e, json_each(new.service_areas) s;
END;
--> statement-breakpoint
CREATE TRIGGER `carrier_reach_delete` AFTER DELETE ON `carriers` BEGIN
  DELETE FROM carrier_reach WHERE carrier_id = old.id;
END;
