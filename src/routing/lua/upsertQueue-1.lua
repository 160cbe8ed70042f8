--[[
  Creates or updates a queue's settings. When the strategy changes, the agents already available
  in the queue are scored again by the new one.

  Input:
    KEYS[1] queue hash (K.queue(name))
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] queue name
    ARGV[4] strategy
    ARGV[5] max size
    ARGV[6] join when no agent is logged in: '1' or '0'
    ARGV[7] ring-all: most agents rung at once
    ARGV[8] the whole settings as JSON (for the API and other nodes)

  Also touches: K.queues, K.strategies, K.available(queue), agents' hashes.
  Output: 'created' or 'updated'.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "index"
--- @include "index-agents"
--- @include "index-calls"
--- @include "index-build"

local name, strategy = ARGV[3], ARGV[4]
local before = rcall('HGET', KEYS[1], 'strategy')
rcall('HSET', KEYS[1], 'name', name, 'strategy', strategy, 'maxSize', ARGV[5], 'joinEmpty', ARGV[6],
  'ringAllMax', ARGV[7], 'settings', ARGV[8])
rcall('HSET', K.strategies(), name, strategy)
rcall('SADD', K.queues(), name)
-- the match index files agents by the queue's strategy: built again from the keys when next used
ix_drop()
if before and before ~= strategy then
  for _, idx in ipairs(rcall('ZRANGE', K.available(name), 0, -1)) do
    local a = load_agent(rcall('HGET', K.agentIndex(), '#' .. idx))
    if a then sync_pools(a) end
  end
end
if before then return 'updated' end
return 'created'
