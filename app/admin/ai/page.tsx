import type { Metadata } from "next";
import { AiUsage } from "@/components/admin/ai-usage";
import { PromptTemplates } from "@/components/admin/prompt-templates";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "AI usage" };

export default function AiUsagePage() {
  return (
    <div className="space-y-10">
      <PageHeader title="AI usage">
        What the AI providers answered and cost, and how each prompt template version performs. Only de-identified records are sent; when no provider
        answers, the built-in clinical rules do.
      </PageHeader>
      <AiUsage />
      <section aria-labelledby="prompt-templates" className="space-y-4">
        <h2 id="prompt-templates" className="text-lg font-semibold text-slate-900">
          Prompt templates
        </h2>
        <PromptTemplates />
      </section>
    </div>
  );
}
