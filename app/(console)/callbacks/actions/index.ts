// The Callbacks panel's action components, to mount in its page and drawer.
export { CreateCallbackDialog } from "./create-callback-dialog";
export { CallbackActions } from "./callback-actions";
export { BulkCancel } from "./bulk-cancel";
export { DownloadReports } from "./download-reports";
