// Inngest's expressions (trigger `if`, waitForEvent/cancelOn `if`, concurrency
// keys, priority) are CEL; evaluate them with a real CEL implementation.
import { parse } from "@marcbachmann/cel-js";

type Compiled = ReturnType<typeof parse>;
const cache = new Map<string, Compiled>();

function compile(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (!compiled) {
    compiled = parse(expression);
    cache.set(expression, compiled);
  }
  return compiled;
}

// CEL keeps ints and doubles apart (1 == 1.0 has no overload); JSON numbers
// that are whole become ints so `event.data.n > 0` works as people expect.
function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

function fromCel(value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}

export function evaluate(expression: string, context: { event?: unknown; async?: unknown }): unknown {
  return fromCel(compile(expression)(toCel(context) as Record<string, unknown>));
}

/** A boolean expression; a missing field or type error counts as "no match", as in Inngest. */
export function matches(expression: string | null | undefined, context: { event?: unknown; async?: unknown }): boolean {
  if (!expression) return true;
  try {
    return evaluate(expression, context) === true;
  } catch {
    return false;
  }
}

/** A concurrency key or priority value, or null when the expression cannot be evaluated. */
export function evaluateOrNull(expression: string, context: { event?: unknown }): unknown {
  try {
    return evaluate(expression, context);
  } catch {
    return null;
  }
}
