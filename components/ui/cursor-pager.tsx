import { Button } from "./button";

/** Previous / Next for a list read a page at a time by cursor; `page` counts from 1. */
export function CursorPager({ label, page, hasNext, onPrevious, onNext }: { label: string; page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between gap-3">
      <p className="text-sm text-slate-600">Page {page}</p>
      <div className="flex gap-2">
        <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
          Previous
        </Button>
        <Button variant="secondary" disabled={!hasNext} onClick={onNext}>
          Next
        </Button>
      </div>
    </nav>
  );
}
