// The payment gateway port. The mock adapter is a real module of the product with this contract;
// a real gateway (Toss, KG Inicis, …) would be another adapter behind the same port.
export const PAYMENT_METHODS = ['CARD', 'KAKAO_PAY', 'NAVER_PAY', 'TOSS', 'BANK_TRANSFER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface ChargeRequest {
  /** The gateway-side idempotency key: the same key never charges twice. */
  key: string;
  method: PaymentMethod;
  amount: number;
  cardNumber?: string;
}

/** TIMEOUT: the gateway did not answer in time; nothing was charged (a real gateway: look it up). */
export type ChargeOutcome = 'APPROVED' | 'DECLINED' | 'TIMEOUT';

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Refunds the charge made under `chargeKey`; true when the money is back. Idempotent. */
  refund(chargeKey: string, amount: number): Promise<boolean>;
  /** What happened to a charge attempt, for settling a request that died: UNKNOWN if never seen. */
  lookup(chargeKey: string): Promise<ChargeOutcome | 'UNKNOWN'>;
}
