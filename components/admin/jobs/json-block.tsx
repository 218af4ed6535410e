// Step outputs and errors as the executor stored them: collapsible, monospace,
// capped in height so one large payload does not push the timeline away.

const OPEN_BELOW_CHARS = 800;

export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  return (
    <details open={text.length <= OPEN_BELOW_CHARS} className="rounded-md bg-slate-50 ring-1 ring-slate-200">
      <summary className="cursor-pointer select-none px-3 py-1.5 text-xs font-medium text-slate-700">{label}</summary>
      <pre className="max-h-72 overflow-auto whitespace-pre-wrap break-words border-t border-slate-200 px-3 py-2 font-mono text-xs leading-relaxed text-slate-800">
        {text}
      </pre>
    </details>
  );
}

/** An error as the SDK serialises it: "Name: message" up front, the stack trace and any other fields (cause, ...) one click away. */
export function ErrorBlock({ label, error }: { label: string; error: unknown }) {
  const fields: Record<string, unknown> = error && typeof error === "object" ? { ...error } : {};
  const { name, message, stack } = fields;
  if (typeof message !== "string") return <JsonBlock label={label} value={error} />;
  // __serialized is the SDK's own marker, not part of the error.
  const others = Object.fromEntries(Object.entries(fields).filter(([key]) => !["name", "message", "stack", "__serialized"].includes(key)));
  return (
    <div className="rounded-md bg-red-50 ring-1 ring-red-200">
      <p className="px-3 pt-2 text-xs font-medium text-red-900">{label}</p>
      <p className="break-words px-3 pb-2 font-mono text-sm text-red-800">
        {typeof name === "string" ? `${name}: ` : ""}
        {message}
      </p>
      {typeof stack === "string" && (
        <details className="border-t border-red-200">
          <summary className="cursor-pointer select-none px-3 py-1.5 text-xs font-medium text-red-900">Stack trace</summary>
          <pre className="max-h-72 overflow-auto whitespace-pre px-3 pb-2 font-mono text-xs leading-relaxed text-red-900">{stack}</pre>
        </details>
      )}
      {Object.keys(others).length > 0 && (
        <div className="border-t border-red-200 p-2">
          <JsonBlock label="Details" value={others} />
        </div>
      )}
    </div>
  );
}
