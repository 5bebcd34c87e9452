-- Quick search on the dispatch board: load number (with and without its letter), PO, BOL and PRO
-- numbers, origin and destination city. A contentless FTS5 index keyed by the load's rowid, kept
-- up to date by triggers in the same transaction as the row. (Hand-written: drizzle-kit has no
-- FTS5 model. SQLite keeps rowids through VACUUM and VACUUM INTO, which the backups use.)
CREATE VIRTUAL TABLE `loads_search` USING fts5(terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
--> statement-breakpoint
CREATE TRIGGER `loads_search_insert` AFTER INSERT ON `loads` BEGIN
  INSERT INTO loads_search(rowid, terms) VALUES (new.rowid,
    new.load_number || ' ' || substr(new.load_number, 2) || ' ' || coalesce(new.po_number, '') || ' ' || coalesce(new.bol_number, '') || ' ' ||
    coalesce(new.pro_number, '') || ' ' || new.origin_city || ' ' || new.dest_city);
END;
--> statement-breakpoint
CREATE TRIGGER `loads_search_update` AFTER UPDATE OF load_number, po_number, bol_number, pro_number, origin_city, dest_city ON `loads` BEGIN
  DELETE FROM loads_search WHERE rowid = old.rowid;
  INSERT INTO loads_search(rowid, terms) VALUES (new.rowid,
    new.load_number || ' ' || substr(new.load_number, 2) || ' ' || coalesce(new.po_number, '') || ' ' || coalesce(new.bol_number, '') || ' ' ||
    coalesce(new.pro_number, '') || ' ' || new.origin_city || ' ' || new.dest_city);
END;
--> statement-breakpoint
CREATE TRIGGER `loads_search_delete` AFTER DELETE ON `loads` BEGIN
  DELETE FROM loads_search WHERE rowid = old.rowid;
END;
