import type { inferRouterOutputs } from "@trpc/server";
import { money } from "@/components/billing/money";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { AppRouter } from "@/server/root";

type Account = inferRouterOutputs<AppRouter>["billing"]["overview"];

/** The card on file and the latest invoices, each with Stripe's hosted page. */
export function InvoiceList({ invoices, paymentMethod }: Pick<Account, "invoices" | "paymentMethod">) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {paymentMethod
          ? `Paying with ${paymentMethod.brand.toUpperCase()} ending ${paymentMethod.last4}, expires ${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear}.`
          : "No card on file."}
      </p>
      {invoices.length === 0 ? (
        <EmptyState title="No invoices yet">Invoices appear here when you subscribe to a plan.</EmptyState>
      ) : (
        <DataTable columns={["Invoice", "Date", "Amount", "Status", ""]} caption="Invoices">
          {invoices.map((invoice) => (
            <tr key={invoice.id}>
              <td className="py-2 pr-4 font-medium text-slate-900">{invoice.number ?? "Draft"}</td>
              <td className="py-2 pr-4 text-slate-700">{new Date(invoice.createdAt).toLocaleDateString()}</td>
              <td className="py-2 pr-4 tabular-nums text-slate-700">
                {money(invoice.status === "paid" ? invoice.amountPaidCents : invoice.amountDueCents, invoice.currency)}
                {invoice.amountRefundedCents > 0 && <span className="ml-1 text-slate-500">({money(invoice.amountRefundedCents, invoice.currency)} refunded)</span>}
              </td>
              <td className="py-2 pr-4 capitalize text-slate-700">{invoice.status}</td>
              <td className="py-2">
                {invoice.hostedInvoiceUrl && (
                  <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer" className="font-medium text-brand-700 hover:underline">
                    View invoice {invoice.number}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
