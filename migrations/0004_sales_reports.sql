-- For the admin sales reports (GET /api/admin/reports/*). Generated from schema.ts, then edited by
-- hand where marked: drizzle-kit would add seat_count NOT NULL at once, which fails on a table that
-- already has reservations.
-- Money is counted when it moves, so each report reads a time range of one column:
--   reservations_created_idx: approvals by approval time (a reservation is inserted in the very
--     transaction that approves its payment), for revenue, reservations and seats sold per day and
--     per movie. It carries screening_id, total_amount and seat_count, so those reports read this
--     index alone (an index-only scan) instead of visiting each reservation and each of its seats:
--     on about a million reservation seats that visit made the 31-day summary take most of a second
--     (bench/reports.ts).
--   seat_count: a reservation's seats never change once sold, so their number is kept beside it.
--   reservations_cancelled_idx: cancellations by cancellation time (partial: most reservations are
--     never cancelled, so it stays small);
--   refunds_completed_idx: refunds by refund time, only those that went through.
-- Hand-edited: add the column, fill it from reservation_seats, then require it.
ALTER TABLE "reservations" ADD COLUMN "seat_count" integer;--> statement-breakpoint
UPDATE "reservations" SET "seat_count" = (SELECT count(*) FROM "reservation_seats" WHERE "reservation_seats"."reservation_id" = "reservations"."id");--> statement-breakpoint
ALTER TABLE "reservations" ALTER COLUMN "seat_count" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "refunds_completed_idx" ON "refunds" USING btree ("completed_at") WHERE "refunds"."status" = 'REFUNDED';--> statement-breakpoint
CREATE INDEX "reservations_created_idx" ON "reservations" USING btree ("created_at","screening_id","total_amount","seat_count");--> statement-breakpoint
CREATE INDEX "reservations_cancelled_idx" ON "reservations" USING btree ("cancelled_at") WHERE "reservations"."cancelled_at" is not null;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_seat_count_check" CHECK ("reservations"."seat_count" >= 1);
