-- The sign-in limiter's counts (lib/auth/throttle.ts), shared by every server on this database so that guesses
-- spread over several servers count against one limit. The layout is the one rate-limiter-flexible's
-- RateLimiterPostgres reads and writes (key = limiter prefix + ':' + user name or address; expire in epoch ms);
-- its hourly sweep deletes rows that expired an hour ago, by the expire index.
CREATE TABLE sign_in_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX sign_in_limits_expire ON sign_in_limits (expire);
