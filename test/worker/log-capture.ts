// Captures the structured log lines the Worker writes (it runs in the test's own isolate).
import { vi } from 'vitest';

export interface CapturedLogs {
  /** Everything written, as one string, for "never appears" checks. */
  text(): string;
  /** The lines that are JSON objects. */
  lines(): Record<string, any>[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const written: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(args.map(String).join(' '));
    }),
  );
  return {
    text: () => written.join('\n'),
    lines: () =>
      written.flatMap((line) => {
        try {
          const parsed = JSON.parse(line);
          return parsed && typeof parsed === 'object' ? [parsed] : [];
        } catch {
          return [];
        }
      }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
