CREATE TABLE "member_holds" (
	"member_id" uuid NOT NULL,
	"screening_id" uuid NOT NULL,
	"held_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_holds_member_id_screening_id_pk" PRIMARY KEY("member_id","screening_id")
);
--> statement-breakpoint
ALTER TABLE "screenings" ADD COLUMN "seats_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "member_holds" ADD CONSTRAINT "member_holds_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_holds" ADD CONSTRAINT "member_holds_screening_id_screenings_id_fk" FOREIGN KEY ("screening_id") REFERENCES "public"."screenings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_holds_held_idx" ON "member_holds" USING btree ("member_id","held_at");