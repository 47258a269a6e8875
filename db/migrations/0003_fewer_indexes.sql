DROP INDEX `events_time`;--> statement-breakpoint
DROP INDEX `callbacks_due`;--> statement-breakpoint
DROP INDEX `callbacks_service_enqueued`;