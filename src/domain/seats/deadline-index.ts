// The deadlines of a state a coordinator owns (the one `adopt` writes decisions into), earliest
// first, so that a command which moves the screening's earliest deadline (a payment started or
// confirmed, a hold released) finds the next one without scanning every hold and seat. A min-heap
// with lazy deletion: `adopt` adds the deadlines a decision wrote, and an entry whose hold or seat no
// longer carries that deadline is dropped when it comes to the top (a hold's deadline never returns
// to a value it left, so an entry that stopped matching never matches again).
import { type Hold, refundDue, type ScreeningSeats, type SeatEntry } from './screening-seats.ts';

interface Entry {
  readonly at: number;
  readonly kind: 'hold' | 'seat';
  readonly key: string;
}

/** What a command wrote, as far as deadlines go: keys whose entries are left out of the search. */
export interface WrittenKeys {
  readonly holds: ReadonlyMap<string, Hold | undefined>;
  readonly seats: ReadonlyMap<string, SeatEntry | undefined>;
}

/** Indexes by the owned state's hold record, which adopt changes in place and carries along. */
const indexes = new WeakMap<object, DeadlineIndex>();

export const indexOf = (state: ScreeningSeats): DeadlineIndex | undefined => indexes.get(state.holds);

/** The index of an owned state, built on first use (every hold and seat once). */
export function ownIndex(state: ScreeningSeats): DeadlineIndex {
  let index = indexes.get(state.holds);
  if (!index) {
    index = new DeadlineIndex();
    index.rebuild(state);
    indexes.set(state.holds, index);
  }
  return index;
}

export class DeadlineIndex {
  #heap: Entry[] = [];
  /** Entries added since the last rebuild: entries that stopped matching are only dropped at the top. */
  #added = 0;
  #rebuiltWith = 0;

  /** The deadlines a decision wrote into `state` (after adopt); rebuilt now and then, so stale entries stay bounded. */
  wrote(state: ScreeningSeats, written: WrittenKeys): void {
    if (this.#added > Math.max(1024, 2 * this.#rebuiltWith)) {
      this.rebuild(state);
      return;
    }
    this.#addAll(written.holds, written.seats);
  }

  rebuild(state: ScreeningSeats): void {
    this.#heap = [];
    this.#addAll(Object.entries(state.holds), Object.entries(state.seats));
    this.#added = 0;
    this.#rebuiltWith = this.#heap.length;
  }

  #addAll(
    holds: Iterable<[string, Hold | undefined]>,
    seats: Iterable<[string, SeatEntry | undefined]>,
  ): void {
    for (const [key, hold] of holds) if (hold) this.add(hold.expiresAt, 'hold', key);
    for (const [key, entry] of seats) {
      const due = refundDue(entry);
      if (due !== null) this.add(due, 'seat', key);
    }
  }

  add(at: number, kind: 'hold' | 'seat', key: string): void {
    this.#added += 1;
    const heap = this.#heap;
    heap.push({ at, kind, key });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= at) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }

  /**
   * The earliest deadline of `state` among the holds and seats `written` does not name, or null.
   * Entries `state` no longer carries are dropped on the way.
   */
  earliestExcept(state: ScreeningSeats, written: WrittenKeys): number | null {
    const aside: Entry[] = [];
    let found: number | null = null;
    for (let top = this.#heap[0]; top !== undefined; top = this.#heap[0]) {
      if (!carries(state, top)) {
        this.#pop();
        continue;
      }
      if ((top.kind === 'hold' ? written.holds : written.seats).has(top.key)) {
        aside.push(this.#pop() as Entry);
        continue;
      }
      found = top.at;
      break;
    }
    for (const entry of aside) this.add(entry.at, entry.kind, entry.key);
    this.#added -= aside.length;
    return found;
  }

  #pop(): Entry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && (heap[left] as Entry).at < (heap[smallest] as Entry).at) smallest = left;
      if (right < heap.length && (heap[right] as Entry).at < (heap[smallest] as Entry).at) smallest = right;
      if (smallest === i) return top;
      [heap[i], heap[smallest]] = [heap[smallest] as Entry, heap[i] as Entry];
      i = smallest;
    }
  }
}

/** Whether `state` still has this deadline on that hold or seat. */
function carries(state: ScreeningSeats, entry: Entry): boolean {
  if (entry.kind === 'hold') {
    return Object.hasOwn(state.holds, entry.key) && (state.holds[entry.key] as Hold).expiresAt === entry.at;
  }
  return Object.hasOwn(state.seats, entry.key) && refundDue(state.seats[entry.key]) === entry.at;
}
