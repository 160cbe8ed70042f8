-- Small helpers shared by the scripts.

-- Entries in each library-level cache of pure parse results before it is emptied. Kept small:
-- every entry is live Lua heap, which the garbage collector walks again and again while the
-- scripts allocate, slowing every run (10,000 random agent profiles cached made each decision
-- markedly slower); a small cache still serves a contact center's few distinct profiles.
local CACHE_MAX = 1000

-- Splits on a one-character separator, keeping empty fields ('a||b' → {'a', '', 'b'}).
local function split(s, sep)
  local t = {}
  if not s or s == '' then return t end
  local n = 0
  for part in string.gmatch(s .. sep, '([^' .. sep .. ']*)' .. sep) do
    n = n + 1
    t[n] = part
  end
  return t
end

local function contains(list, x)
  for _, v in ipairs(list) do
    if v == x then return true end
  end
  return false
end

-- Appends one event to the routing log stream (read into Postgres queue_log): one field `v`,
-- `time|event|queue|call|agent|wait|data` (data last, as JSON, so it may hold any text). `data`
-- is a table, JSON text already made (the hot paths: cheaper than cjson) or nil; `wait` the ms the
-- caller had waited, or nil. One field keeps the entry small.
local function qlog(event, queue, call, agent, wait, data)
  if type(data) == 'table' then data = cjson.encode(data) end
  rcall('XADD', K.log(), 'MAXLEN', '~', 200000, '*', 'v',
    NOW .. '|' .. event .. '|' .. (queue or '') .. '|' .. (call or '') .. '|' .. (agent or '') .. '|' ..
    (wait or '') .. '|' .. (data or ''))
end
