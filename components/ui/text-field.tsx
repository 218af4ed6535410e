import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

export const CONTROL = "block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600 aria-invalid:ring-red-500";

export type FieldProps = { label: string; hint?: string; errors?: string[] };

/** A label, a control, its hint and its errors, wired up for screen readers. */
export function Field({ label, hint, errors, control }: FieldProps & { control: (wiring: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {control({ id, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined })}
      {hint && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and error wired up for screen readers. */
export function TextField({ label, hint, errors, ...input }: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  return <Field label={label} hint={hint} errors={errors} control={(wiring) => <input {...wiring} className={`${CONTROL} placeholder:text-slate-400`} {...input} />} />;
}

/** A labelled select, like TextField; options are [value, label]. */
export function SelectField({ label, hint, errors, options, ...select }: SelectHTMLAttributes<HTMLSelectElement> & FieldProps & { options: readonly (readonly [string, string])[] }) {
  return (
    <Field
      label={label}
      hint={hint}
      errors={errors}
      control={(wiring) => (
        <select {...wiring} className={`${CONTROL} bg-white`} {...select}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}
