// Builds the one Hono app every runtime serves. Routes are thin; the entry that calls this
// chooses the adapters through `runtime`.
import { Scalar } from '@scalar/hono-api-reference';
import { contextStorage } from 'hono/context-storage';
import { requestId } from 'hono/request-id';
import type { Runtime } from './context.ts';
import { bodySize } from './middleware/body-size.ts';
import { databaseLease } from './middleware/database.ts';
import { LIMITS, limitPerIp } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { corsFrom, secureResponseHeaders } from './middleware/response-headers.ts';
import { createRouter } from './openapi.ts';
import { problemResponse, toProblem } from './problem.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminReportRoutes } from './routes/admin-reports.ts';
import { adminSalesRoutes } from './routes/admin-sales.ts';
import { adminSeatRoutes } from './routes/admin-seats.ts';
import { authRoutes } from './routes/auth.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { clientLogRoutes } from './routes/client-logs.ts';
import { healthRoutes } from './routes/health.ts';
import { paymentRoutes } from './routes/payments.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { seatRoutes } from './routes/seats.ts';

export const API_INFO = {
  title: 'Marquee API',
  version: '1.0.0',
  description: 'Cinema seat reservations: catalog, holds, payments, reservations and live seat maps.',
};

export function createApp(runtime: Runtime) {
  const app = createRouter();
  app.use(contextStorage()); // log lines find the request id through it
  app.use(requestId());
  app.use(requestLog);
  app.use(secureResponseHeaders);
  app.use(corsFrom(runtime.settings));
  app.use(databaseLease(runtime));
  app.use('/api/*', limitPerIp(LIMITS.requests));
  app.use(bodySize);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.route('/', healthRoutes);
  app.route('/', authRoutes);
  app.route('/', seatRoutes);
  app.route('/', adminSeatRoutes);
  app.route('/', catalogRoutes);
  app.route('/', adminRoutes);
  app.route('/', adminSalesRoutes);
  app.route('/', adminReportRoutes);
  app.route('/', paymentRoutes);
  app.route('/', reservationRoutes);
  app.route('/', clientLogRoutes);

  app.doc31('/openapi.json', { openapi: '3.1.0', info: API_INFO });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Marquee API' }));

  app.notFound((c) => problemResponse(c, 'NOT_FOUND', 'no such route'));
  app.onError((error, c) => toProblem(error, c));
  return app;
}

export type App = ReturnType<typeof createApp>;
