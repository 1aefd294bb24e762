// The seat domain's public face: coordinators (Durable Object, Redis) and use cases import from here.
// Only pure code lives behind it; nothing here may import a platform, database or HTTP module.
export { chooseBest, DEFAULT_BEST_TYPES, WHEELCHAIR } from './best-available.ts';
export { decide, type Reducer, reducerWith } from './decide.ts';
export {
  checkId,
  checkSeatIds,
  HOLD_RULES,
  type HoldRules,
  MAX_HELD_SEATS_PER_MEMBER,
  MAX_SEATS_PER_HOLD,
} from './hold-rules.ts';
export { refusedAsSeen, type SeatsSeen, seenIn, takenUntil } from './known-taken.ts';
export { coolingSeats, holdableBy, screeningLimitRefusal } from './member-limits.ts';
export type { PendingPayment } from './resume-payments.ts';
export { resumePayments } from './resume-payments.ts';
export type {
  DuePayment,
  DueRefund,
  DurableSeatEntry,
  Hold,
  HoldPhase,
  LiveHold,
  ScreeningSeats,
  ScreeningSeatsInit,
  SeatChange,
  SeatEntry,
  SeatPlace,
  SeatSeed,
  SingleSeatGaps,
} from './screening-seats.ts';
export {
  availableChange,
  countAvailable,
  countAvailableByStatus,
  createScreeningSeats,
  duePayments,
  dueRefunds,
  earliestDeadline,
  heldSeatCount,
  holdOf,
  holdsOf,
  isLive,
  nextDeadline,
  rememberDeadline,
  seatOf,
  snapshot,
} from './screening-seats.ts';
export type {
  BestRequest,
  ConfigChange,
  Decision,
  HoldWish,
  SeatCommand,
  SeatCommandType,
  Written,
} from './seat-commands.ts';
export { holdCommand } from './seat-commands.ts';
export { countSeats, type SeatCounts } from './seat-counts.ts';
export { adopt } from './seat-draft.ts';
export type { SeatError, SeatErrorCode } from './seat-errors.ts';
export { gapsLeftBy, rowsOf, type SeatRows } from './seat-rows.ts';
export type { SeatEvent, SeatState, SeatTransition } from './seat-state.ts';
export { isSeatState, SEAT_EVENTS, SEAT_STATES, SEAT_TRANSITIONS, transition } from './seat-state.ts';
