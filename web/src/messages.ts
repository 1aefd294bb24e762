// Every failure the person can meet, in plain words. The page never shows a problem document, a
// status code or an exception's text: only these sentences. Pure: unit-tested in Node.
import { ApiError } from './api/api-error.ts';
import { listInWords } from './format.ts';

/** What the person was doing; a few codes read differently depending on it. */
export type Activity =
  | 'load'
  | 'login'
  | 'signup'
  | 'hold'
  | 'best'
  | 'extend'
  | 'release'
  | 'pay'
  | 'cancel'
  | 'block'
  | 'unblock';

const BUSY = 'The service is busy right now. Please try again in a moment.';
const CHANGED = 'Something changed in the meantime. Please reload the page and try again.';

const MESSAGES: Record<string, string> = {
  NETWORK: 'We could not reach Marquee. Check your connection and try again.',
  SERVICE_UNAVAILABLE: BUSY,
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again in a moment.',
  UNAUTHORIZED: 'Your session has ended. Please log in again.',
  INVALID_CREDENTIALS: 'That login id and password do not match. Please try again.',
  FORBIDDEN: 'This page is only for administrators.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  LOGIN_ID_TAKEN: 'That login id is already taken. Please choose another one.',
  SEAT_NOT_AVAILABLE: 'Sorry, a seat you chose was just taken by someone else. Please choose another seat.',
  HOLD_LIMIT_EXCEEDED:
    'You can hold at most 8 seats for one screening. Pay for or release the seats you already hold first.',
  HOLD_NOT_FOUND: 'Your hold has ended and the seats were released. Please choose your seats again.',
  HOLD_EXPIRED: 'Your hold expired and the seats were released. Please choose your seats again.',
  SALES_NOT_OPEN: 'Tickets for this screening are not on sale yet.',
  SALES_CLOSED: 'Ticket sales for this screening have closed.',
  QUEUE_NOT_OPEN: 'The queue for this sale is not open yet. Please come back a little before sales open.',
  ADMISSION_REQUIRED: 'Your turn in the queue has ended. Please reload the page to see the queue.',
  PAYMENT_DECLINED:
    'Your card was declined. Nothing was charged. You can try again with another card or another way to pay.',
  PAYMENT_GATEWAY_ERROR:
    'The payment service did not answer in time. Nothing was charged. You can try again now.',
  NOT_ENOUGH_SEATS:
    'There are not that many seats free together with what you asked for. Try fewer seats, other seat types, or choose them on the map.',
  HOLD_EXTENSION_LIMIT:
    'Your seats cannot be held any longer than this. Please pay before the time runs out.',
  PAYMENT_IN_PROGRESS: 'Payment for these seats has already started.',
  IDEMPOTENCY_KEY_IN_USE:
    'Your payment is still being processed. Wait a few seconds, then press Pay again: you will not be charged twice.',
  IDEMPOTENCY_KEY_REUSED: 'This payment attempt was already used with other details. Please press Pay again.',
  CANCELLATION_CLOSED: 'This reservation can no longer be cancelled: the screening starts too soon.',
  VALIDATION_FAILED: 'Something you entered is not valid. Please check it and try again.',
  PAYLOAD_TOO_LARGE: 'That is more than we can take at once.',
  RESOURCE_IN_USE: CHANGED,
  CONFLICT: CHANGED,
  INVALID_TRANSITION: CHANGED,
  RESERVATION_MISMATCH: CHANGED,
};

/** Plain hints for the fields the API may name in a 400. */
const FIELD_HINTS: Record<string, string> = {
  loginId: 'the login id must be 4 to 32 lowercase letters, digits or _',
  password: 'the password must be 8 to 72 characters',
  cardNumber: 'the card number must be one of the test cards',
  reason: 'please give a reason',
  seatIds: 'choose between 1 and 8 seats',
};

/**
 * The sentence to show for `error`. `seatNames` names the seats a SEAT_NOT_AVAILABLE answer listed
 * ("Row C, seat 5"), so the message can say which ones.
 */
export function plainMessage(error: unknown, activity: Activity = 'load', seatNames: string[] = []): string {
  if (!(error instanceof ApiError)) return MESSAGES.INTERNAL_ERROR as string;
  const { code } = error;
  if (code === 'SEAT_NOT_AVAILABLE') return seatsTaken(activity, seatNames);
  if (code === 'SINGLE_SEAT_GAP') return singleSeatGap(seatNames);
  if (code === 'RATE_LIMITED') {
    const seconds = error.retryAfterSeconds;
    return `Too many tries in a short time. Please wait ${seconds ? `${seconds} seconds` : 'a moment'} and try again.`;
  }
  if (code === 'UNAUTHORIZED' && activity === 'login') return MESSAGES.INVALID_CREDENTIALS as string;
  if (code === 'NOT_FOUND' && activity === 'release') return MESSAGES.HOLD_NOT_FOUND as string;
  if (code === 'VALIDATION_FAILED') {
    const hints = [...new Set(error.fieldErrors.map((field) => FIELD_HINTS[fieldName(field.path)]))];
    if (hints.length > 0 && hints.every(Boolean))
      return `Please check what you entered: ${listInWords(hints as string[])}.`;
  }
  return MESSAGES[code] ?? (error.status >= 500 ? BUSY : 'Something went wrong. Please try again.');
}

function seatsTaken(activity: Activity, seatNames: string[]): string {
  const named = listInWords(seatNames);
  const one = seatNames.length === 1;
  if (activity === 'block') {
    const them = one ? 'it' : 'them';
    return `${named || 'A seat you chose'} cannot be blocked now: someone is holding ${them} or has bought ${them}.`;
  }
  if (activity === 'unblock')
    return `${named || 'A seat you chose'} ${one ? 'is' : 'are'} not blocked any more.`;
  if (seatNames.length === 0) return MESSAGES.SEAT_NOT_AVAILABLE as string;
  return `Sorry, ${named} ${one ? 'was' : 'were'} just taken by someone else. Please choose another seat.`;
}

/** The gap rule in one sentence; `seatNames` names the seats that would have been left alone. */
function singleSeatGap(seatNames: string[]): string {
  const many = seatNames.length > 1;
  const alone = seatNames.length > 0 ? listInWords(seatNames) : 'a seat';
  return `This screening does not leave single empty seats between others: your choice would leave ${alone} empty on ${many ? 'their' : 'its'} own. Add ${many ? 'them' : 'it'} to your choice, or choose seats that end at the aisle or next to taken seats.`;
}

const fieldName = (path: string) => path.split('.').find((part) => Number.isNaN(Number(part))) ?? path;

/** Why a seat on the map cannot be chosen, for the person who just tried. */
export function seatUnavailable(name: string, status: string): string {
  switch (status) {
    case 'HOLD':
    case 'PAYMENT_PENDING':
      return `Sorry, ${name} was just taken by someone else. Please choose another seat.`;
    case 'RESERVED':
      return `${name} is already sold. Please choose another seat.`;
    case 'RESERVATION_CANCELLED':
      return `${name} is being refunded and will be free again in a moment.`;
    default:
      return `${name} is not for sale.`;
  }
}
