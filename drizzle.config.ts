// drizzle-kit generates SQL migrations from src/adapters/db/schema.ts into migrations/.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/db/schema.ts',
  out: './migrations',
});
