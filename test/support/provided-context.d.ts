// Values global-setup provides to every test project (vitest's inject).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    realPostgres: boolean;
    adminLoginId: string;
    adminPassword: string;
  }
}
