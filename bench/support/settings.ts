// Marquee's settings for a bench or drill run, the same on every runtime. Every request comes from
// one IP and a few members make many holds, so the rate limits are set out of the way (they are
// not what is measured, and the bench must keep working once they are enforced).
export const JWT_SECRET = 'marquee-bench-secret-long-enough-for-hs256';

const UNLIMITED = '1000000000';

export function marqueeSettings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    JWT_SECRET,
    HOLD_TTL_SECONDS: '5',
    PAYMENT_TIMEOUT_SECONDS: '10',
    REQUESTS_PER_IP_PER_MINUTE: UNLIMITED,
    HOLDS_PER_USER_PER_MINUTE: UNLIMITED,
    PAYMENTS_PER_USER_PER_MINUTE: UNLIMITED,
    SIGNUPS_PER_IP_PER_HOUR: UNLIMITED,
    LOGIN_FAILURES_PER_ACCOUNT: UNLIMITED,
    HOLD_SEATS_PER_IP_PER_HOUR: UNLIMITED,
    // A few members hold in turn: neither the screening limit nor the cool-down is what is measured.
    HELD_SCREENINGS_PER_MEMBER: UNLIMITED,
    HOLD_COOLDOWN_SECONDS: '0',
    // The watchers all come from this one address.
    LIVE_SOCKETS_PER_IP_PER_SCREENING: UNLIMITED,
    ...overrides,
  };
}
