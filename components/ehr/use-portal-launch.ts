"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";

/** Starts a launch at a portal and sends the browser to its sign-in; the portal sends it back to our callback. */
export function usePortalLaunch() {
  const trpc = useTRPC();
  return useMutation(
    trpc.ehr.connect.mutationOptions({
      onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
    }),
  );
}
