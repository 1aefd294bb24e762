// Waiting-room admissions as signed tokens (HS256 with JWT_SECRET, an audience of their own so an
// access token is never taken for one, or one for an access token): who (sub), which screening
// (scr), until when (exp). The Worker or process checks them before a hold reaches the seat
// coordinator, with no call to the room. A token that verified is remembered, bounded, like access
// tokens, so a member's later holds skip the signature check.
import { SignJWT } from 'jose';
import { hmacKey, ISSUER, RememberedTokens } from './tokens.ts';

const AUDIENCE = 'marquee-admission';

export interface Admission {
  memberId: string;
  screeningId: string;
  /** Epoch ms. */
  until: number;
}

export async function signAdmission(admission: Admission, secret: string): Promise<string> {
  return new SignJWT({ scr: admission.screeningId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(admission.memberId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(admission.until / 1000))
    .sign(await hmacKey(secret));
}

const admissions = new RememberedTokens<Admission>(AUDIENCE, (payload) =>
  typeof payload.scr === 'string' && payload.sub
    ? { memberId: payload.sub, screeningId: payload.scr, until: (payload.exp ?? 0) * 1000 }
    : undefined,
);

/** The admission a valid, live token grants, or undefined (expired, forged, another audience). */
export function verifyAdmission(
  token: string,
  secret: string,
  now = Date.now(),
): Promise<Admission | undefined> {
  return admissions.verify(token, secret, now);
}
