import "./globals.css";
import type { ReactNode } from "react";

export const metadata = {
  title: { template: "%s · Callback Service", default: "Callback Service" },
  description: "GMS-compatible callback service",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
