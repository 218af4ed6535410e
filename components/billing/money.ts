/** An amount in a currency's minor unit (cents), as the reader's locale writes it: "$9.00". */
export function money(cents: number, currency: string) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
}

/** A small US-dollar amount such as an AI call's cost: four decimals below a dollar, two above. */
export const dollars = (amount: number) => `$${amount < 1 ? amount.toFixed(4) : amount.toFixed(2)}`;
