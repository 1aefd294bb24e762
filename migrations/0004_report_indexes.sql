-- Indexes for the admin sales reports (GET /api/admin/reports/*), generated from schema.ts.
-- Money is counted when it moves, so each report reads a time range of one column:
--   reservations_created_idx: approvals by approval time (a reservation is inserted in the very
--     transaction that approves its payment), for revenue, reservations and seats sold per day;
--   reservations_cancelled_idx: cancellations by cancellation time (partial: most rows are never
--     cancelled, so the index stays small);
--   refunds_completed_idx: refunds by refund time, only those that went through.
-- Without them each report scans the whole table: on a million reservation seats the 31-day
-- summary took a sequential scan of every reservation (see bench/reports.ts).
CREATE INDEX "refunds_completed_idx" ON "refunds" USING btree ("completed_at") WHERE "refunds"."status" = 'REFUNDED';--> statement-breakpoint
CREATE INDEX "reservations_created_idx" ON "reservations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "reservations_cancelled_idx" ON "reservations" USING btree ("cancelled_at") WHERE "reservations"."cancelled_at" is not null;