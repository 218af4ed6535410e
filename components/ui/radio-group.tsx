import { useId } from "react";

type RadioOption<T extends string> = { value: T; label: string; description?: string };

/**
 * A labelled set of radio buttons (one choice), with its hint and errors wired up for screen readers; the arrow keys
 * move between the options as in any native radio group.
 */
export function RadioGroup<T extends string>({ legend, name, options, value, onChange, hint, errors, inline = false }: {
  legend: string;
  name: string;
  options: readonly RadioOption<T>[];
  value: T | null;
  onChange: (value: T) => void;
  hint?: string;
  errors?: string[];
  inline?: boolean;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset role="radiogroup" aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined} aria-invalid={errors?.length ? true : undefined} className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      <div className={inline ? "flex flex-wrap gap-2" : "grid gap-2 sm:grid-cols-2"}>
        {options.map((option) => (
          <label
            key={option.value}
            className="flex cursor-pointer items-start gap-2 rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 has-checked:bg-brand-50 has-checked:ring-2 has-checked:ring-brand-600 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-brand-600"
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              className="mt-0.5 size-4 shrink-0 accent-brand-600"
            />
            <span>
              <span className="font-medium text-slate-900">{option.label}</span>
              {option.description && <span className="block text-xs text-slate-600">{option.description}</span>}
            </span>
          </label>
        ))}
      </div>
      {errorId && (
        <p id={errorId} className="text-sm text-red-700">
          {errors?.join(" ")}
        </p>
      )}
    </fieldset>
  );
}
