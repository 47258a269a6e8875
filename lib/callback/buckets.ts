// Bucket arithmetic in epoch milliseconds: buckets of `_request_time_bucket` minutes aligned to the hour in UTC.
export const bucketMs = (minutes: number) => minutes * 60_000;
export const floorBucket = (ms: number, size: number) => Math.floor(ms / size) * size;
export const ceilBucket = (ms: number, size: number) => Math.ceil(ms / size) * size;
