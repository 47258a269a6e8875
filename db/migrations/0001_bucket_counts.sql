CREATE TABLE `bucket_counts` (
	`service_name` text NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`service_name`, `bucket`)
);
--> statement-breakpoint
CREATE TRIGGER `callbacks_bucket_insert` AFTER INSERT ON `callbacks` WHEN NEW.bucket IS NOT NULL BEGIN
  INSERT INTO bucket_counts (service_name, bucket, n) VALUES (NEW.service_name, NEW.bucket, 1)
  ON CONFLICT(service_name, bucket) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `callbacks_bucket_delete` AFTER DELETE ON `callbacks` WHEN OLD.bucket IS NOT NULL BEGIN
  UPDATE bucket_counts SET n = n - 1 WHERE service_name = OLD.service_name AND bucket = OLD.bucket;
END;
--> statement-breakpoint
CREATE TRIGGER `callbacks_bucket_update` AFTER UPDATE OF bucket, service_name ON `callbacks`
  WHEN OLD.bucket IS NOT NEW.bucket OR OLD.service_name IS NOT NEW.service_name BEGIN
  UPDATE bucket_counts SET n = n - 1 WHERE OLD.bucket IS NOT NULL AND service_name = OLD.service_name AND bucket = OLD.bucket;
  INSERT INTO bucket_counts (service_name, bucket, n) SELECT NEW.service_name, NEW.bucket, 1 WHERE NEW.bucket IS NOT NULL
  ON CONFLICT(service_name, bucket) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
INSERT INTO bucket_counts (service_name, bucket, n)
  SELECT service_name, bucket, count(*) FROM callbacks WHERE bucket IS NOT NULL GROUP BY service_name, bucket;
