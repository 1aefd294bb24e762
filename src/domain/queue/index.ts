// The waiting room's public face (API.md, Waiting room): the room's state machine and the draw.
// Pure code only; the stores (a Durable Object, Redis) keep the state and apply the steps.
export { cryptoRandom, drawOrder, type RandomSource } from './lottery.ts';
export {
  ADMIT_PER_MINUTE,
  admitIntervalMs,
  advance,
  CATCH_UP_MS,
  MIN_STEP_MS,
  newRoom,
  OPENS_BEFORE_MINUTES,
  POLL_SECONDS,
  queueOpensAt,
  type RoomSetup,
  type RoomState,
  type RoomStep,
  reconfigure,
  roomCounts,
  type Ticket,
  type TicketView,
  ticketView,
  type WaitingRoomSettings,
} from './room.ts';
