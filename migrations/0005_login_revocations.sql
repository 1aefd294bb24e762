CREATE TABLE "login_revocations" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Hand-written: every path that changes a member's password or role, or deletes the member (the
-- dev seed, the admin command, plain SQL), ends that member's logins: its refresh tokens are
-- revoked and the moment is recorded, so access tokens issued before it are refused.
CREATE FUNCTION end_member_logins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO login_revocations (member_id, revoked_at) VALUES (OLD.id, now())
    ON CONFLICT (member_id) DO UPDATE SET revoked_at = excluded.revoked_at;
  IF TG_OP = 'UPDATE' THEN
    UPDATE refresh_tokens SET revoked_at = now() WHERE member_id = OLD.id AND revoked_at IS NULL;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER members_end_logins_on_change AFTER UPDATE OF password_hash, role ON members
  FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.role IS DISTINCT FROM NEW.role)
  EXECUTE FUNCTION end_member_logins();
--> statement-breakpoint
CREATE TRIGGER members_end_logins_on_delete AFTER DELETE ON members
  FOR EACH ROW EXECUTE FUNCTION end_member_logins();
