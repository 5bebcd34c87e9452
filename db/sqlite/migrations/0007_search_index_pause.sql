-- A page of pulled loads indexes their quick-search terms in one statement (electron/engine/rebase.ts).
-- It used to drop the search triggers for that, inside its transaction, and put them back: each
-- page then changed the schema, and SQLite re-read it and re-prepared every cached statement.
-- Now the triggers stand down while this table holds a row, which only ever happens inside such
-- a transaction.
CREATE TABLE `search_index_pause` (
  `id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1)
);
--> statement-breakpoint
DROP TRIGGER `loads_search_insert`;
--> statement-breakpoint
DROP TRIGGER `loads_search_update`;
--> statement-breakpoint
CREATE TRIGGER `loads_search_insert` AFTER INSERT ON `loads` WHEN NOT EXISTS (SELECT 1 FROM search_index_pause) BEGIN
  INSERT INTO loads_search(rowid, terms) VALUES (new.rowid,
    new.load_number || ' ' || substr(new.load_number, 2) || ' ' || coalesce(new.po_number, '') || ' ' || coalesce(new.bol_number, '') || ' ' ||
    coalesce(new.pro_number, '') || ' ' || new.origin_city || ' ' || new.dest_city);
END;
--> statement-breakpoint
CREATE TRIGGER `loads_search_update` AFTER UPDATE OF load_number, po_number, bol_number, pro_number, origin_city, dest_city ON `loads`
WHEN NOT EXISTS (SELECT 1 FROM search_index_pause) BEGIN
  DELETE FROM loads_search WHERE rowid = old.rowid;
  INSERT INTO loads_search(rowid, terms) VALUES (new.rowid,
    new.load_number || ' ' || substr(new.load_number, 2) || ' ' || coalesce(new.po_number, '') || ' ' || coalesce(new.bol_number, '') || ' ' ||
    coalesce(new.pro_number, '') || ' ' || new.origin_city || ' ' || new.dest_city);
END;
