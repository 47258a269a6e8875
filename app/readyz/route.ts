// GET /readyz — database writable, migrations applied, scheduler lease live, outbox backlog bounded (503 otherwise)
import { readyz } from "@/lib/ops/endpoints";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = async () => await readyz();
