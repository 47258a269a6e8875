// GET /healthz — the process is alive (no database access)
import { healthz } from "@/lib/ops/endpoints";

export const dynamic = "force-dynamic";
export const GET = () => healthz();
