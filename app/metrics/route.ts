// GET /metrics — Prometheus text format (METRICS_TOKEN bearer token, or an admin's Basic credentials)
import { metricsEndpoint } from "@/lib/ops/endpoints";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (req: Request) => metricsEndpoint(req);
