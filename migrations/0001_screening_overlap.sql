-- Hand-written: drizzle-kit cannot express an exclusion constraint.
-- Screenings on one screen never overlap, whatever the application does (409 SCREENING_OVERLAP).
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "screenings" ADD CONSTRAINT "screenings_no_overlap"
  EXCLUDE USING gist ("screen_id" WITH =, tstzrange("start_time", "end_time", '[)') WITH &&);
