"use client";

import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";

export type AutosaveStatus =
  | { kind: "idle"; savedAt: Date | null }
  | { kind: "saving" }
  | { kind: "saved"; savedAt: Date }
  | { kind: "retrying" }
  /** Refused by the server (not worth retrying as it is): its message and field errors are in `error`. */
  | { kind: "failed"; error: unknown };

const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/** A network failure or the server being away is worth retrying; a refusal (4xx) says what to change instead. */
function worthRetrying(error: unknown) {
  const status = error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
  return status === undefined || status >= 500 || status === 429;
}

/**
 * Saves what is typed `delayMs` after typing stops, one save at a time and in order, retrying with backoff while the
 * server cannot be reached. `flush` saves at once (before an action that relies on the saved text) and says whether
 * everything typed is saved. `save` resolves to when the server saved it.
 */
export function useAutosave<T>(save: (value: T) => Promise<Date>, { savedAt = null, delayMs = 1_000 }: { savedAt?: Date | null; delayMs?: number } = {}) {
  const [status, setStatus] = useState<AutosaveStatus>({ kind: "idle", savedAt });
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  const unsaved = useRef<{ value: T } | null>(null);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const failures = useRef(0);
  const disposed = useRef(false);

  const flush = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    const pending = unsaved.current;
    if (!pending) return true;
    unsaved.current = null;
    setStatus({ kind: "saving" });
    const attempt = saveRef.current(pending.value).then(
      (at) => {
        failures.current = 0;
        // Typing went on meanwhile: its own save follows.
        if (!unsaved.current) setStatus({ kind: "saved", savedAt: at });
        return !unsaved.current;
      },
      (error: unknown) => {
        unsaved.current ??= pending;
        if (worthRetrying(error)) {
          failures.current += 1;
          setStatus({ kind: "retrying" });
          if (!disposed.current) timer.current = window.setTimeout(() => void flush(), Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures.current - 1)));
        } else {
          setStatus({ kind: "failed", error });
        }
        return false;
      },
    );
    inFlight.current = attempt;
    try {
      return await attempt;
    } finally {
      inFlight.current = null;
    }
  }, []);

  const change = useCallback(
    (value: T) => {
      unsaved.current = { value };
      setStatus({ kind: "saving" });
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), delayMs);
    },
    [flush, delayMs],
  );

  useEffect(() => {
    disposed.current = false;
    // Leaving the page with changes not saved yet: save them now (once), and let the browser ask first on a reload or close.
    const warn = (event: BeforeUnloadEvent) => {
      if (unsaved.current || inFlight.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      disposed.current = true;
      if (unsaved.current) void flush();
    };
  }, [flush]);

  return { status, change, flush };
}
