// The mock payment gateway: decides by card number as API.md says, approves the wallet methods,
// and keeps its own ledger table so any isolate or process can look an attempt up by its key.
import { and, eq } from 'drizzle-orm';
import type { ChargeOutcome, ChargeRequest, PaymentGateway } from '../../ports/payment-gateway.ts';
import type { Database } from '../db/client.ts';
import { gatewayLedger } from '../db/schema.ts';

export const TEST_CARDS = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  timeout: '4000000000009995',
} as const;

export const isTestCard = (cardNumber: string) =>
  (Object.values(TEST_CARDS) as string[]).includes(cardNumber);

export interface MockGatewayOptions {
  /** Added before every answer, like a real network round trip. */
  latencyMs?: number;
  /** Test fault: refunds fail while this returns true. */
  refundsFail?: () => boolean;
}

export class MockPaymentGateway implements PaymentGateway {
  readonly #db: () => Database;
  readonly #options: MockGatewayOptions;

  constructor(db: () => Database, options: MockGatewayOptions = {}) {
    this.#db = db;
    this.#options = options;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    await this.#latency();
    const outcome = decide(request);
    const [recorded] = await this.#db()
      .insert(gatewayLedger)
      .values({
        kind: 'CHARGE',
        idempotencyKey: request.key,
        method: request.method,
        amount: request.amount,
        cardLast4: request.cardNumber?.slice(-4) ?? null,
        outcome,
      })
      .onConflictDoNothing()
      .returning({ outcome: gatewayLedger.outcome });
    // A key seen before answers what it answered then: never a second charge.
    return recorded?.outcome ?? (await this.lookup(request.key));
  }

  async refund(chargeKey: string, amount: number): Promise<boolean> {
    await this.#latency();
    if (this.#options.refundsFail?.()) return false;
    const charge = await this.#charge(chargeKey);
    if (charge?.outcome !== 'APPROVED') return charge !== undefined; // nothing was charged: nothing to give back
    await this.#db()
      .insert(gatewayLedger)
      .values({
        kind: 'REFUND',
        idempotencyKey: chargeKey,
        method: charge.method,
        amount,
        outcome: 'APPROVED',
      })
      .onConflictDoNothing();
    return true;
  }

  async lookup(chargeKey: string): Promise<ChargeOutcome | 'UNKNOWN'> {
    return (await this.#charge(chargeKey))?.outcome ?? 'UNKNOWN';
  }

  async #charge(chargeKey: string) {
    const [row] = await this.#db()
      .select({ outcome: gatewayLedger.outcome, method: gatewayLedger.method })
      .from(gatewayLedger)
      .where(and(eq(gatewayLedger.kind, 'CHARGE'), eq(gatewayLedger.idempotencyKey, chargeKey)));
    return row;
  }

  async #latency(): Promise<void> {
    const ms = this.#options.latencyMs ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function decide(request: ChargeRequest): ChargeOutcome {
  if (request.method !== 'CARD') return 'APPROVED';
  if (request.cardNumber === TEST_CARDS.approve) return 'APPROVED';
  if (request.cardNumber === TEST_CARDS.timeout) return 'TIMEOUT';
  return 'DECLINED';
}
