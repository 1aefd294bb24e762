// Waiting-room admissions as signed tokens (HS256 with JWT_SECRET, an audience of their own so an
// access token is never taken for one, or one for an access token): who (sub), which screening
// (scr), until when (exp). The Worker or process checks them before a hold reaches the seat
// coordinator, with no call to the room. A token that verified is remembered, bounded, like access
// tokens, so a member's later holds skip the signature check.
import { errors, jwtVerify, SignJWT } from 'jose';
import { hmacKey } from './tokens.ts';

const ISSUER = 'marquee';
const AUDIENCE = 'marquee-admission';
const KEPT = 10_000;

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

const verified = new Map<string, Admission & { secret: string }>();

/** The admission a valid, live token grants, or undefined (expired, forged, another audience). */
export async function verifyAdmission(
  token: string,
  secret: string,
  now = Date.now(),
): Promise<Admission | undefined> {
  const known = verified.get(token);
  if (known && known.secret === secret) {
    if (now < known.until) return known;
    verified.delete(token);
    return undefined;
  }
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(now),
    });
    if (typeof payload.scr !== 'string' || !payload.sub) return undefined;
    const admission = { memberId: payload.sub, screeningId: payload.scr, until: (payload.exp ?? 0) * 1000 };
    if (verified.size >= KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { ...admission, secret });
    return admission;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
}
