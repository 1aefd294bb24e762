// Builds the one Hono app every runtime serves. Routes are thin; the entry that calls this
// chooses the adapters through `runtime`. apiRoutes() alone (no middleware, no runtime) is what the
// OpenAPI document is made of, so `npm run lint:openapi` can write it without starting anything.
import { contextStorage } from 'hono/context-storage';
import { apiReference } from './api-reference.ts';
import type { Runtime } from './context.ts';
import { bodySize } from './middleware/body-size.ts';
import { databaseLease } from './middleware/database.ts';
import { LIMITS, limitPerIp } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { corsFrom, requestIdentity, secureResponseHeaders } from './middleware/response-headers.ts';
import { createRouter, DOCUMENT_CONFIG, documentSharedResponses, type Router } from './openapi.ts';
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
import { waitingRoomRoutes } from './routes/waiting-room.ts';

/** Every API operation, documented, without middleware. */
export function apiRoutes(): Router {
  const api = createRouter()
    .route('/', healthRoutes)
    .route('/', authRoutes)
    .route('/', seatRoutes)
    .route('/', waitingRoomRoutes)
    .route('/', adminSeatRoutes)
    .route('/', catalogRoutes)
    .route('/', adminRoutes)
    .route('/', adminSalesRoutes)
    .route('/', adminReportRoutes)
    .route('/', paymentRoutes)
    .route('/', reservationRoutes)
    .route('/', clientLogRoutes);
  documentSharedResponses(api);
  return api;
}

/** The OpenAPI 3.1 document of `api` (what GET /openapi.json answers). */
export const openApiDocument = (api: Router) => api.getOpenAPI31Document(DOCUMENT_CONFIG);

export function createApp(runtime: Runtime) {
  const app = createRouter();
  app.use(contextStorage()); // log lines find the request id through it
  app.use(requestIdentity(runtime));
  app.use(requestLog);
  app.use(secureResponseHeaders(runtime));
  app.use(corsFrom(runtime.settings));
  app.use(databaseLease(runtime));
  app.use('/api/*', limitPerIp(LIMITS.requests));
  app.use(bodySize(runtime));

  const api = apiRoutes();
  app.route('/', api);
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', (c) => {
    document ??= openApiDocument(api);
    return c.json(document);
  });
  app.get('/docs', apiReference);

  app.notFound((c) => problemResponse(c, 'NOT_FOUND', 'no such route'));
  app.onError((error, c) => toProblem(error, c));
  return app;
}

export type App = ReturnType<typeof createApp>;
