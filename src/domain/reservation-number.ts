// Reservation numbers people can read out at a counter: MQ-YYMMDD-XXXXXX, the day of sale and six
// characters of an alphabet without look-alikes (no 0/O, 1/I/L).
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `random` supplies one number in [0, 1) per character; injected so the function stays pure. */
export function reservationNumber(at: Date, random: () => number): string {
  const day = at.toISOString().slice(2, 10).replaceAll('-', '');
  let code = '';
  for (let i = 0; i < 6; i += 1) code += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `MQ-${day}-${code}`;
}

export const RESERVATION_NUMBER = /^MQ-\d{6}-[2-9A-HJKMNP-Z]{6}$/;
