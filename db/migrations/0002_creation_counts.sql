CREATE TABLE `creation_counts` (
	`service_name` text NOT NULL,
	`sec` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`service_name`, `sec`)
);
--> statement-breakpoint
CREATE TRIGGER `callbacks_creation_count` AFTER INSERT ON `callbacks` BEGIN
  INSERT INTO creation_counts (service_name, sec, n) VALUES (NEW.service_name, NEW.time_scheduled / 1000, 1)
  ON CONFLICT(service_name, sec) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
INSERT INTO creation_counts (service_name, sec, n)
  SELECT service_name, time_scheduled / 1000, count(*) FROM callbacks GROUP BY service_name, time_scheduled / 1000;
