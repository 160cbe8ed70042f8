-- Small helpers shared by the scripts.

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

-- Appends one event to the routing log stream (read into Postgres queue_log). `data` is a table
-- or nil; `wait` the ms the caller had waited, or nil.
local function qlog(event, queue, call, agent, wait, data)
  rcall('XADD', K.log(), 'MAXLEN', '~', 200000, '*',
    't', NOW, 'e', event, 'q', queue or '', 'c', call or '', 'a', agent or '',
    'w', wait or '', 'd', data and cjson.encode(data) or '')
end
