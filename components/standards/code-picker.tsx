"use client";

// A text field for a code that suggests codes from a code system as you type
// (the standards search: words in any order, typos, the exact code first).
// The field's value is the code, so typing a code you know works too. ARIA 1.2
// combobox: arrow keys move through the suggestions, Enter picks, Escape closes.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState, type InputHTMLAttributes } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { CONTROL, Field, type FieldProps } from "@/components/ui/text-field";

export type PickableSystem = "ICD10CM" | "LOINC" | "HCPCS";

const SEARCH_DELAY_MS = 200;

export function CodePicker({ label, system, hint, errors, defaultValue = "", ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, "defaultValue"> &
  FieldProps & { system: PickableSystem; defaultValue?: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState(defaultValue);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [picked, setPicked] = useState<string | null>(null);

  // Search once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useQuery(
    trpc.standards.search.queryOptions({ query, system, limit: 8 }, { enabled: open && query.length >= 2, placeholderData: keepPreviousData, staleTime: 60_000 }),
  );
  const matches = open && query.length >= 2 ? (search.data ?? []) : [];

  const pick = (index: number) => {
    const match = matches[index];
    if (!match) return;
    setText(match.code);
    setPicked(match.display ? `${match.code}: ${match.display}` : match.code);
    setOpen(false);
    setActive(-1);
  };

  return (
    <Field
      label={label}
      hint={picked ?? hint}
      errors={errors}
      control={(wiring) => {
        const listId = `${wiring.id}-list`;
        return (
          <div className="relative">
            <input
              {...input}
              {...wiring}
              value={text}
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={matches.length > 0}
              aria-controls={listId}
              aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
              autoComplete="off"
              className={`${CONTROL} placeholder:text-slate-400`}
              onChange={(event) => {
                setText(event.target.value);
                setPicked(null);
                setOpen(true);
                setActive(-1);
              }}
              onFocus={() => setOpen(true)}
              onBlur={() => setOpen(false)}
              onKeyDown={(event) => {
                if (event.key === "ArrowDown" && matches.length) {
                  event.preventDefault();
                  setActive((i) => (i + 1) % matches.length);
                } else if (event.key === "ArrowUp" && matches.length) {
                  event.preventDefault();
                  setActive((i) => (i <= 0 ? matches.length - 1 : i - 1));
                } else if (event.key === "Enter" && active >= 0 && matches.length) {
                  event.preventDefault(); // pick, do not submit the form
                  pick(active);
                } else if (event.key === "Escape") {
                  setOpen(false);
                }
              }}
            />
            {matches.length > 0 && (
              <ul id={listId} role="listbox" aria-label={`${label} suggestions`} className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200">
                {matches.map((match, index) => (
                  <li
                    key={`${match.system}|${match.code}`}
                    id={`${listId}-${index}`}
                    role="option"
                    aria-selected={index === active}
                    // mousedown, not click: the input's blur would close the list first.
                    onMouseDown={(event) => {
                      event.preventDefault();
                      pick(index);
                    }}
                    className={`cursor-pointer px-3 py-2 ${index === active ? "bg-brand-50" : "hover:bg-slate-50"}`}
                  >
                    <span className="font-mono text-xs text-slate-600">{match.code}</span> <span className="text-slate-900">{match.display ?? "No name in the shipped list"}</span>
                    {match.status === "RETIRED" && <span className="ml-1 text-xs text-amber-800">(retired)</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      }}
    />
  );
}
