// Payments as the admin sees them, newest first: every attempt, approved or not, with the
// reservation it produced (if any).
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './client.ts';
import { afterCursor, type Page, type PageRequest, timestampKey, toPage } from './pagination.ts';
import { type PAYMENT_METHODS, type PAYMENT_STATUSES, payments, reservations } from './schema.ts';

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentView {
  id: string;
  status: PaymentStatus;
  amount: number;
  method: (typeof PAYMENT_METHODS)[number];
  reservationNo: string | null;
  screeningId: string;
  memberId: string;
  createdAt: string;
}

export async function listPayments(
  db: Database,
  filter: { status?: PaymentStatus },
  page: PageRequest,
): Promise<Page<PaymentView>> {
  const rows = await db
    .select({
      id: payments.id,
      status: payments.status,
      amount: payments.amount,
      method: payments.method,
      reservationNo: reservations.reservationNo,
      screeningId: payments.screeningId,
      memberId: payments.memberId,
      createdAt: payments.createdAt,
      createdKey: timestampKey(payments.createdAt),
    })
    .from(payments)
    .leftJoin(reservations, eq(reservations.id, payments.reservationId))
    .where(
      and(
        filter.status ? eq(payments.status, filter.status) : undefined,
        afterCursor(payments.createdAt, payments.id, page.cursor, 'timestamptz', 'desc'),
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(page.limit + 1);
  return toPage(
    rows,
    page.limit,
    (row) => ({ key: row.createdKey, id: row.id }),
    ({ createdKey: _, createdAt, ...payment }) => ({ ...payment, createdAt: createdAt.toISOString() }),
  );
}
