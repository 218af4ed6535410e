/** A moment as the reader's locale writes it, in their own time zone: "Nov 22, 2026, 3:04 PM". */
export function formatDateTime(date: Date) {
  return date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}
