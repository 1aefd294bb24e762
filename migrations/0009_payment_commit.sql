-- Hand-written: step 6 of a payment (ARCHITECTURE.md, "Payment, step by step") as one statement.
-- `commit_payments` commits a batch of approved payments of one screening in the caller's
-- transaction (a single statement is one): the fencing token first (when the screening's
-- coordinator has a commit lease; NULL when it is the only writer), then each payment in a
-- block of its own, which PL/pgSQL runs as a savepoint: the reservation, its seats, the payment
-- APPROVED (only if still PENDING) and the stored 201 response. A payment that cannot commit rolls
-- back to its savepoint and is answered on its own row; the others commit. Any other error fails
-- the whole batch, whose payments stay PENDING for the settlement.
--
-- items: [{paymentId, reservationNo, memberId, holdToken, idempotencyKey, totalAmount, createdAt,
--          seats: [{seatId, price}], response}]
-- outcome per payment: 'committed', 'seat-taken' (a unique index refused it: a seat sold already),
-- 'settled' (the payment is no longer PENDING), or 'stale-fence' for all (nothing committed).
CREATE FUNCTION commit_payments(p_screening uuid, p_fence bigint, p_items jsonb)
RETURNS TABLE (out_payment_id uuid, out_outcome text) LANGUAGE plpgsql AS $$
DECLARE
  item jsonb;
  reservation uuid;
BEGIN
  IF p_fence IS NOT NULL THEN
    INSERT INTO screening_fence AS f (screening_id, token) VALUES (p_screening, p_fence)
      ON CONFLICT (screening_id) DO UPDATE SET token = excluded.token WHERE f.token < excluded.token;
    IF NOT FOUND THEN
      RETURN QUERY SELECT (i ->> 'paymentId')::uuid, 'stale-fence'::text FROM jsonb_array_elements(p_items) AS i;
      RETURN;
    END IF;
  END IF;
  FOR item IN SELECT value FROM jsonb_array_elements(p_items) LOOP
    out_payment_id := (item ->> 'paymentId')::uuid;
    BEGIN
      INSERT INTO reservations (reservation_no, member_id, screening_id, hold_token, total_amount, seat_count, created_at)
        VALUES (item ->> 'reservationNo', (item ->> 'memberId')::uuid, p_screening, item ->> 'holdToken',
                (item ->> 'totalAmount')::integer, jsonb_array_length(item -> 'seats'),
                (item ->> 'createdAt')::timestamptz)
        RETURNING id INTO reservation;
      INSERT INTO reservation_seats (reservation_id, screening_id, seat_id, price)
        SELECT reservation, p_screening, (s ->> 'seatId')::uuid, (s ->> 'price')::integer
        FROM jsonb_array_elements(item -> 'seats') AS s;
      UPDATE payments SET status = 'APPROVED', reservation_id = reservation, updated_at = now()
        WHERE id = out_payment_id AND status = 'PENDING';
      IF NOT FOUND THEN
        RAISE EXCEPTION 'payment % is no longer PENDING', out_payment_id USING ERRCODE = 'MQ001';
      END IF;
      UPDATE idempotency_records SET state = 'DONE', response_status = 201, response_body = item -> 'response'
        WHERE member_id = (item ->> 'memberId')::uuid AND key = item ->> 'idempotencyKey';
      out_outcome := 'committed';
    EXCEPTION
      WHEN unique_violation THEN out_outcome := 'seat-taken';
      WHEN SQLSTATE 'MQ001' THEN out_outcome := 'settled';
    END;
    RETURN NEXT;
  END LOOP;
END;
$$;
