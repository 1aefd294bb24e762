ALTER TABLE "movies" ADD COLUMN "poster_url" text;--> statement-breakpoint
ALTER TABLE "movies" ADD CONSTRAINT "movies_poster_url_check" CHECK ("movies"."poster_url" ~ '^https://');
