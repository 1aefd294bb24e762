// What a login id and an operator-set admin password must look like. Admin passwords come from a
// shell, not a sign-up form, and guard every catalog and sale: they are held to a stricter rule.
export const LOGIN_ID_PATTERN = /^[a-z0-9_]{4,32}$/;

export const ADMIN_PASSWORD_MIN = 12;
export const PASSWORD_MAX = 72;
/** The dev runner's printed default: never good enough for a real admin. */
export const DEV_ADMIN_PASSWORD = 'marquee-admin';

/** Why this password is too weak for an admin, or undefined when it will do. */
export function adminPasswordProblem(password: string, loginId: string): string | undefined {
  if (password.length < ADMIN_PASSWORD_MIN) return `it must be at least ${ADMIN_PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `it must be at most ${PASSWORD_MAX} characters`;
  if (password === DEV_ADMIN_PASSWORD) return 'it is the development default';
  if (password.toLowerCase().includes(loginId.toLowerCase())) return 'it contains the login id';
  if (new Set(password).size < 6) return 'it repeats too few different characters';
  return undefined;
}
