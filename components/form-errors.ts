import { TRPCClientError } from "@trpc/client";

/** The user-facing message and per-field messages of a failed mutation. */
export function formErrors(error: unknown): { message: string | null; fields: Record<string, string[]> } {
  if (!error) return { message: null, fields: {} };
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string[]> } | undefined;
    return { message: error.message, fields: data?.fieldErrors ?? {} };
  }
  return { message: "Something went wrong. Please try again.", fields: {} };
}
