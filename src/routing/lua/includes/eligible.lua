-- Eligibility: a requirement string (`zh/tech:4`, see requirement.ts) names the agents who may take
-- a call; the bitmap of those agents is the AND of per-skill-level and per-language bitmaps,
-- built once per requirement and kept up to date when a profile changes (upsertAgent).
-- A requirement `@<agentId>` is an affinity window: only that agent.

local ANY = '*/'

local function is_affinity(req)
  return string.byte(req, 1) == 64 -- '@'
end

-- The bitmap key for a requirement (built if missing), or nil when any agent qualifies.
local function eligible_key(req)
  if req == ANY then return nil end
  local key = K.eligible(req)
  if rcall('SADD', K.eligibleSet(), req) == 1 then
    local slash = string.find(req, '/', 1, true)
    local lang = string.sub(req, 1, slash - 1)
    local sources = {}
    if lang ~= '*' then sources[#sources + 1] = K.languageBits(lang) end
    for pair in string.gmatch(string.sub(req, slash + 1), '[^,]+') do
      local c = string.find(pair, ':', 1, true)
      sources[#sources + 1] = K.skillBits(string.sub(pair, 1, c - 1), string.sub(pair, c + 1))
    end
    rcall('BITOP', 'AND', key, unpack(sources))
  end
  return key
end

-- Whether a profile (`skill:level,...` and `lang,...`) meets a requirement: for keeping the built
-- bitmaps right when one agent's profile changes.
local function profile_meets(skillsCsv, languagesCsv, req)
  local slash = string.find(req, '/', 1, true)
  local lang = string.sub(req, 1, slash - 1)
  if lang ~= '*' and not string.find(',' .. languagesCsv .. ',', ',' .. lang .. ',', 1, true) then return false end
  local have = {}
  for pair in string.gmatch(skillsCsv, '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    have[string.sub(pair, 1, c - 1)] = tonumber(string.sub(pair, c + 1))
  end
  for pair in string.gmatch(string.sub(req, slash + 1), '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    if (have[string.sub(pair, 1, c - 1)] or 0) < tonumber(string.sub(pair, c + 1)) then return false end
  end
  return true
end

-- Sets one agent's bit in every built eligibility bitmap (after a profile change).
local function refresh_eligibility(idx, skillsCsv, languagesCsv)
  for _, req in ipairs(rcall('SMEMBERS', K.eligibleSet())) do
    rcall('SETBIT', K.eligible(req), idx, profile_meets(skillsCsv, languagesCsv, req) and 1 or 0)
  end
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
