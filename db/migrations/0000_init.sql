CREATE TABLE `bulk_operations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`actor` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`request` text NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `callback_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` integer NOT NULL,
	`service_name` text,
	`callback_id` text,
	`type` text NOT NULL,
	`state` text,
	`reason` text,
	`actor` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `events_callback` ON `callback_events` (`callback_id`);--> statement-breakpoint
CREATE INDEX `events_service_time` ON `callback_events` (`service_name`,`time`);--> statement-breakpoint
CREATE INDEX `events_time` ON `callback_events` (`time`);--> statement-breakpoint
CREATE TABLE `callbacks` (
	`id` text PRIMARY KEY NOT NULL,
	`service_name` text NOT NULL,
	`customer_number` text,
	`desired_time` integer NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`time_scheduled` integer NOT NULL,
	`expiration_time` integer NOT NULL,
	`ors_session_id` text,
	`bucket` integer,
	`enqueued_at` integer,
	`due_at` integer,
	`submit_attempts` integer DEFAULT 0 NOT NULL,
	`immediate` integer DEFAULT 0 NOT NULL,
	`handed_off` integer DEFAULT 0 NOT NULL,
	`external` integer DEFAULT 0 NOT NULL,
	`props` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `callbacks_service_state_desired` ON `callbacks` (`service_name`,`state`,`desired_time`);--> statement-breakpoint
CREATE INDEX `callbacks_customer_number` ON `callbacks` (`customer_number`);--> statement-breakpoint
CREATE INDEX `callbacks_bucket` ON `callbacks` (`service_name`,`bucket`);--> statement-breakpoint
CREATE INDEX `callbacks_state_due` ON `callbacks` (`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `callbacks_due` ON `callbacks` (`due_at`);--> statement-breakpoint
CREATE INDEX `callbacks_service_enqueued` ON `callbacks` (`service_name`,`state`,`enqueued_at`);--> statement-breakpoint
CREATE INDEX `callbacks_service_created` ON `callbacks` (`service_name`,`time_scheduled`);--> statement-breakpoint
CREATE TABLE `handoffs` (
	`key` text PRIMARY KEY NOT NULL,
	`callback_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notification_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`callback_id` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_next` ON `notification_outbox` (`next_at`);--> statement-breakpoint
CREATE INDEX `outbox_callback` ON `notification_outbox` (`callback_id`);--> statement-breakpoint
CREATE TABLE `pattern_groups` (
	`name` text PRIMARY KEY NOT NULL,
	`patterns` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `services` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`options` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`section` text PRIMARY KEY NOT NULL,
	`options` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`username` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
