import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { scalarBundle } from "@/lib/console/api-reference";
import { ApiReference } from "./api-reference";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference · Callback Service" };

export default async function Page() {
  await requirePage("monitor", "/api-reference");
  return <ApiReference scriptSrc={`/api-reference/scalar.js?v=${scalarBundle().version}`} documentUrl="/genesys/openapi.json" />;
}
