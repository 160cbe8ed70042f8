--[[
  Call-driven decisions for one or more waiting calls: finds agents for each and reserves them.
  A node sends every call whose decision is pending in one run (a batch), so many decisions share
  one round trip and the queue settings read once; each is still its own decision, made in line
  order (best caller first) as separate runs would. Agents are found in the match index
  (includes/index.lua) and checked against their hashes before they are booked. The requirement is the call's routing step at
  `now` (the call moves to that step's class first if its step has ended); during an affinity
  window only the previous agent is tried. The queue's strategy orders the candidates (ring-all
  takes several).

  Input:
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] random seed (for the random strategy)
    ARGV[4] the node deciding (the owner node is sent the offer on its stream only if it is another)
    ARGV[5...] call ids (a repeated id is decided once; its later entries see the call as it is then)

  Also touches: K.call(id), K.queue, K.available(queue), K.indexStamp,
  K.memberBits(queue), K.availableBits, K.eligible, K.scratch, K.skipped, the queue's waiting and
  class sets and class index, agents' hashes, K.reservations, K.offers(owner).
  Event: reserve (one per agent reserved; it carries the agent's move to reserved).
  Output: one flat array (a table per call costs Redis a nested reply), per call id in the order
  given: kind, step (or state), the number of agents n, then the n agent ids: 'offered', step, n,
  agentId...; 'none', step, 0; or 'not-waiting', state, 0.
]]
--- @include "prologue"
--- @include "keys"
--- @include "moves"
--- @include "strategies"
--- @include "util"
--- @include "agent"
--- @include "eligible"
--- @include "call"
--- @include "index"
--- @include "index-agents"
--- @include "index-calls"
--- @include "index-build"
--- @include "find"
--- @include "reserve"

-- the node deciding (ARGV[4]) and the queue settings read in this run where no index keeps them:
-- set at the start of each run (below, after @run)
local node, settings = nil, nil

-- A queue's settings: kept in the match index (upsertQueue drops them), else read once per run.
local function queue_settings(q)
  local ix = ix_open(false)
  local qx = ix and ix.q[q]
  local s = qx and qx.settings or settings and settings[q]
  if s then return s end
  local v = rcall('HMGET', K.queue(q), 'strategy', 'ringAllMax')
  s = { strategy = v[1] or 'longest-idle', ringAllMax = tonumber(v[2]) or 1 }
  if qx then
    qx.settings = s
  else
    settings = settings or {}
    settings[q] = s
  end
  return s
end

-- The agents for call c in `class`: found in the match index (index.lua) and checked against
-- their hashes (checked_agent; returned too, so reserve() does not read them again); an agent the
-- index has wrong is repaired there and the index asked again. Without an index (or
-- when it cannot tell) the keys are walked (find.lua).
local function find_checked(c, s, class)
  local ix = ix_open(true)
  local hasSkips = c.skips == '1'
  for _ = 1, 8 do
    if not ix then break end
    local idxs = ix_find_agents(ix, c.queue, s.strategy, class, c.id, hasSkips, s.ringAllMax)
    if not idxs then break end
    -- ({ nil }: room for one, the usual count, made with the table rather than grown after)
    local ids, loaded, stale = { nil }, { nil }, false
    for _, idx in ipairs(idxs) do
      local id = ix.id[idx]
      -- the walk found it free and meeting the class by what the index files of it
      -- (index-agents.lua's checked_agent: its hash tells whether it is still free)
      local a = id and checked_agent(ix, light_agent(ix, id, idx, false))
      if a then
        ids[#ids + 1] = a.id
        loaded[#loaded + 1] = a
      else
        stale = true
        if not id then ix_repair_agent(ix, idx, nil) end
      end
    end
    if not stale then return ids, loaded end
  end
  return find_agents(c.queue, s.strategy, class, c.id, hasSkips, s.ringAllMax), nil
end

-- kind, step (or state), the agents booked
local function decide(c)
  if not c then return 'not-waiting', 'unknown' end
  if c.state ~= 'waiting' then return 'not-waiting', c.state end
  local class, step = class_at(c)
  if class ~= c.class then
    -- its step or affinity window ended: into its new class first
    leave_line(c)
    line_up(c)
  end
  local agents, loaded = {}, nil
  if is_affinity(class) then
    local only = string.sub(class, 2)
    local idx = rcall('HGET', K.agentIndex(), only)
    if idx and in_pool(c.queue, idx) then agents = { only } end
  else
    agents, loaded = find_checked(c, queue_settings(c.queue), class)
  end
  if #agents == 0 then return 'none', step end
  reserve(c, agents, step, node, loaded)
  return 'offered', step, agents
end

-- the calls' ranks in this run, and best caller first by them (callers of other queues do not
-- compete, so their relative order is moot)
local ranks = nil
local function before(x, y)
  local rx, ry = ranks[x], ranks[y]
  if rx ~= ry then return rx < ry end
  return x < y
end

--- @run
math.randomseed(tonumber(ARGV[3]))
node, settings = ARGV[4], nil
-- the match index first (built from the keys if this library has none for them yet)
ix_open(true)
-- writes no decision here reads go once for all at the end (util.lua)
run_writes_begin()
-- the calls as read, their ranks, and their order: arrays rather than a table per call, kept
-- from run to run (util.lua's scratch_list)
local calls, order = scratch_list('calls'), scratch_list('order')
ranks = scratch_list('ranks')
for k = 1, #ARGV - 4 do
  local c = load_waiting_call(ARGV[k + 4])
  calls[k] = c or false
  -- the rank is read once here, not in each comparison of the sort
  ranks[k] = c and c.scoreN or math.huge
  order[k] = k
end
if #order > 1 then table.sort(order, before) end
local kinds, values, booked = scratch_list('kinds'), scratch_list('values'), scratch_list('booked')
for i, k in ipairs(order) do
  local id = ARGV[k + 4]
  -- a second entry for a call just decided reads it again
  local again = false
  for j = 1, i - 1 do
    if ARGV[order[j] + 4] == id then
      again = true
      break
    end
  end
  local c = again and load_waiting_call(id) or calls[k] or nil
  local kind, value, agents = decide(c)
  kinds[k], values[k], booked[k] = kind, value, agents or false
end
run_writes_end()
local out = scratch_list('out')
for k = 1, #order do
  local agents = booked[k]
  out[#out + 1] = kinds[k]
  out[#out + 1] = values[k]
  out[#out + 1] = agents and #agents or 0
  if agents then
    for _, id in ipairs(agents) do out[#out + 1] = id end
  end
end
return out
