// What a call costs: list prices in US dollars per million tokens, input and
// output, for the models we route to by default. A deployment using another
// model (or a negotiated price) sets <PROVIDER>_PRICE_PER_MTOK="in,out"; a
// model with no price is counted at zero and the admin page says so.

export type TokenPrice = { inputPerMTok: number; outputPerMTok: number };

const LIST_PRICES: Record<string, TokenPrice> = {
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
};

/** "0.15,0.60" → a price; anything else is a configuration mistake worth refusing loudly. */
export function parseTokenPrice(text: string, variable: string): TokenPrice {
  const parts = text.split(",").map((part) => Number(part.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error(`${variable} must be "input,output" in US dollars per million tokens, e.g. "0.15,0.60"; it is "${text}"`);
  }
  return { inputPerMTok: parts[0], outputPerMTok: parts[1] };
}

/** The configured price, else the list price of the model (or of the model it is a dated snapshot of), else none. */
export function priceOf(model: string, configured: TokenPrice | null): TokenPrice | null {
  if (configured) return configured;
  const base = Object.keys(LIST_PRICES)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return base ? LIST_PRICES[base] : null;
}

/** US dollars, to the micro-dollar the task and interaction rows keep. */
export function costOf(price: TokenPrice | null, tokensIn: number, tokensOut: number): number {
  if (!price) return 0;
  return Math.round(((tokensIn * price.inputPerMTok + tokensOut * price.outputPerMTok) / 1_000_000) * 1e6) / 1e6;
}
