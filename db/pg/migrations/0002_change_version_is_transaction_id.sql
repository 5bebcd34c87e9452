-- Change versions become transaction ids (server/sync/change-order.ts); the counter row goes.
-- Versions already recorded came from that counter, which rose by one per mutation transaction, so
-- they sit below the current transaction id and keep their order and meaning (desktops' cookies
-- stay valid). Refuse to go on if that ever does not hold (a database copied into another cluster).
DO $$
BEGIN
  IF (SELECT coalesce(max(version), 0) FROM change_log) >= pg_current_xact_id()::text::bigint
     OR (SELECT coalesce(max(version), 0) FROM mutation_results) >= pg_current_xact_id()::text::bigint THEN
    RAISE EXCEPTION 'change versions run ahead of transaction ids; restore this database into its original cluster or start a new one';
  END IF;
END $$;
--> statement-breakpoint
DROP TABLE "sync_state" CASCADE;
