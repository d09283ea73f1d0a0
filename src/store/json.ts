import { z } from 'zod';

/** Reads a JSON column through a zod schema: stored JSON is an edge like any other. */
export function readJson<T extends z.ZodType>(schema: T, text: string | null | undefined, what: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? 'null');
  } catch {
    throw new Error(`stored ${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(`stored ${what} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  return parsed.data;
}

export const stringList = z.array(z.string());
export const looseObject = z.record(z.string(), z.unknown());
