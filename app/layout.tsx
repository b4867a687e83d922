import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { THEME_STORAGE_KEY } from "@/components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Benchboard", template: "%s · Benchboard" },
  description: "GPU-cluster benchmarking dashboard",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Runs before first paint so a stored (or system) dark theme never flashes light.
const themeScript = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t!=="light"&&t!=="dark")t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light";document.documentElement.dataset.theme=t}catch(e){}})()`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The per-request CSP nonce from proxy.ts (reading headers also keeps every page dynamic,
  // which a nonce needs).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
