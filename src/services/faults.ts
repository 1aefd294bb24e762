// The test-only fault switch: with MARQUEE_TEST_FAULTS=1 (never in production), a request may ask,
// by the x-marquee-fault header, to die after a payment step or to have its refund fail, so the
// reconciliation paths are tested for real. Off, it does nothing.
export const FAULT_HEADER = 'x-marquee-fault';

export class KilledForTest extends Error {
  override name = 'KilledForTest';
}

export interface Faults {
  /** Dies (throws KilledForTest, with no clean-up) if the request asked to die after `step`. */
  after(step: number): void;
  refundFails: boolean;
}

export const NO_FAULTS: Faults = { after: () => {}, refundFails: false };

export function faultsFrom(enabled: boolean, header: string | undefined): Faults {
  if (!enabled || !header) return NO_FAULTS;
  const killAfter = /^kill-after-step-(\d)$/.exec(header)?.[1];
  return {
    after(step) {
      if (killAfter !== undefined && Number(killAfter) === step)
        throw new KilledForTest(`killed after step ${step}`);
    },
    refundFails: header === 'refund-fails',
  };
}
