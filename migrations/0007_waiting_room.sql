-- A screening's waiting room (API.md, Waiting room): {admitPerMinute, opensBeforeMinutes}, or null for none.
ALTER TABLE "screenings" ADD COLUMN "waiting_room" jsonb;