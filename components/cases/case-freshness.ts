// Cases move on by other people's hands (the patient, the specialist, Stripe's confirmation): each page that shows one
// reads it afresh when it opens, and again every so often while it waits for someone else.

export const READ_AFRESH = { staleTime: 0 } as const;

export const LIVE_REFRESH_MS = 15_000;
