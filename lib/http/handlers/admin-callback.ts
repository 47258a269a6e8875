// Admin Callback API (SPEC §3): queues, watermarks, bulk cancel, cancelled report, GDPR delete.
// Being built under issue 5; until then these answer 501 with a GMS-shaped body.
import { json } from "../respond";

const notYet = () => json({ code: 50050, phrase: "INTERNAL_ERROR", message: "Error processing callback not implemented yet", exception: "com.genesyslab.gsg.services.callback.CallbackException" }, 501);
export const queues = notYet;
export const watermarks = notYet;
export const bulkCancel = notYet;
export const bulkCancelSummary = notYet;
export const reportCancelled = notYet;
export const opsDelete = notYet;
