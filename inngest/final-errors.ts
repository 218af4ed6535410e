// A failure retrying cannot cure (an unreadable file, a requester who lost
// access) is recorded where the user sees it and ends the run at once.
import { NonRetriableError } from "inngest";

/** Wraps a step's work: an error of `kind` is handed to `record`, then thrown on as final. */
export function finalOn<E extends Error>(kind: abstract new (...args: never[]) => E, record: (error: E) => Promise<unknown>) {
  return <T>(work: () => Promise<T>) =>
    async () => {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof kind)) throw error;
        await record(error);
        throw new NonRetriableError(error.message, { cause: error });
      }
    };
}
