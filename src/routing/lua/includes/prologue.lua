-- Every routing script starts here. ARGV[1] is the routing key base (RedisKeys.routingBase()),
-- ARGV[2] the clock in ms since the epoch, given by the caller so that tests can run on fake time
-- and every node agrees on one clock per decision.
local rcall = redis.call
local BASE = ARGV[1]
local NOW = tonumber(ARGV[2])
