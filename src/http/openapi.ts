// The OpenAPI router every route module uses: zod validation failures become the contract's
// 400 VALIDATION_FAILED with `errors: [{path, message}]`.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { problemResponse } from './problem.ts';

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      }));
      return problemResponse(c, 'VALIDATION_FAILED', 'the request does not match the schema', { errors });
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
