import type { Metadata } from "next";
import localFont from "next/font/local";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/components/trpc-provider";
import "./globals.css";

// Self-hosted: next/font/google would fetch at build time (no network here).
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "HoloVitals", template: "%s · HoloVitals" },
  description: "Your whole health record in one place: gathered, standardised, analysed and shared only with your consent.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the proxy's CSP carries a fresh nonce that
  // Next puts on its scripts, which a prerendered page could not have.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
