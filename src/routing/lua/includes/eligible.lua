-- Eligibility: a requirement string (`zh/tech:4`, see requirement.ts) names the agents who may take
-- a call; the bitmap of those agents is the AND of per-skill-level and per-language bitmaps,
-- cached in Redis under the requirement (dropped whenever a profile changes).

local ANY = '*/'
local eligible_cache = {}

-- The cached bitmap key for a requirement, or nil when any agent qualifies.
local function eligible_key(req)
  if req == ANY then return nil end
  local cached = eligible_cache[req]
  if cached then return cached end
  local key = K.eligible(req)
  if rcall('EXISTS', key) == 0 then
    local slash = string.find(req, '/', 1, true)
    local lang = string.sub(req, 1, slash - 1)
    local sources = {}
    if lang ~= '*' then sources[#sources + 1] = K.languageBits(lang) end
    for pair in string.gmatch(string.sub(req, slash + 1), '[^,]+') do
      local c = string.find(pair, ':', 1, true)
      sources[#sources + 1] = K.skillBits(string.sub(pair, 1, c - 1), string.sub(pair, c + 1))
    end
    rcall('BITOP', 'AND', key, unpack(sources))
    -- an all-zero result deletes the key; keep it so the AND is not redone on every call
    rcall('SETBIT', key, 0, rcall('GETBIT', key, 0))
    rcall('SADD', K.eligibleSet(), req)
  end
  eligible_cache[req] = key
  return key
end

-- The skill the requirement asks most of (best-skill ranks agents by it), and that level.
local function main_skill(req)
  local slash = string.find(req, '/', 1, true)
  local best, bestLevel = nil, 0
  for pair in string.gmatch(string.sub(req, slash + 1), '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    local level = tonumber(string.sub(pair, c + 1))
    if level > bestLevel then best, bestLevel = string.sub(pair, 1, c - 1), level end
  end
  return best, bestLevel
end

-- The agent's proficiency in `skill`, knowing it is at least `from`.
local function agent_level(idx, skill, from)
  for level = 5, from + 1, -1 do
    if rcall('GETBIT', K.skillBits(skill, level), idx) == 1 then return level end
  end
  return from
end
