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

-- A requirement string parsed: { lang = 'zh' or nil, skills = { {name, level}, ... } }. The parse
-- depends on the string alone, so it is kept between calls (a library-level cache, emptied when it
-- grows large).
local parsed_requirements, parsed_count = {}, 0
local function parse_requirement(req)
  local p = parsed_requirements[req]
  if p then return p end
  local slash = string.find(req, '/', 1, true)
  local lang = string.sub(req, 1, slash - 1)
  p = { lang = lang ~= '*' and lang or nil, skills = {} }
  for pair in string.gmatch(string.sub(req, slash + 1), '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    p.skills[#p.skills + 1] = { string.sub(pair, 1, c - 1), tonumber(string.sub(pair, c + 1)) }
  end
  if parsed_count >= CACHE_MAX then parsed_requirements, parsed_count = {}, 0 end
  parsed_requirements[req] = p
  parsed_count = parsed_count + 1
  return p
end

-- An agent's profile as tables: skill → level, language → true.
local function profile_of(skillsCsv, languagesCsv)
  local skills, langs = {}, {}
  for pair in string.gmatch(skillsCsv or '', '[^,]+') do
    local c = string.find(pair, ':', 1, true)
    skills[string.sub(pair, 1, c - 1)] = tonumber(string.sub(pair, c + 1))
  end
  for lang in string.gmatch(languagesCsv or '', '[^,]+') do langs[lang] = true end
  return { skills = skills, langs = langs }
end

-- The same, kept between calls: it depends on the two strings alone.
local profiles, profiles_count = {}, 0
local function cached_profile(skillsCsv, languagesCsv)
  local key = (skillsCsv or '') .. '/' .. (languagesCsv or '')
  local p = profiles[key]
  if p then return p end
  p = profile_of(skillsCsv, languagesCsv)
  if profiles_count >= CACHE_MAX then profiles, profiles_count = {}, 0 end
  profiles[key] = p
  profiles_count = profiles_count + 1
  return p
end

local function meets(profile, req)
  local p = parse_requirement(req)
  if p.lang and not profile.langs[p.lang] then return false end
  for _, s in ipairs(p.skills) do
    if (profile.skills[s[1]] or 0) < s[2] then return false end
  end
  return true
end

-- Whether a profile (`skill:level,...` and `lang,...`) meets a requirement: for keeping the built
-- bitmaps right when one agent's profile changes.
local function profile_meets(skillsCsv, languagesCsv, req)
  return meets(profile_of(skillsCsv, languagesCsv), req)
end

-- Sets one agent's bit in every built eligibility bitmap (after a profile change).
local function refresh_eligibility(idx, skillsCsv, languagesCsv)
  for _, req in ipairs(rcall('SMEMBERS', K.eligibleSet())) do
    rcall('SETBIT', K.eligible(req), idx, profile_meets(skillsCsv, languagesCsv, req) and 1 or 0)
  end
end

-- The skill the requirement asks most of (best-skill ranks agents by it, and calls walk the
-- agents who have it), and that level; nil when it asks no skill.
local function main_skill(req)
  local p = parse_requirement(req)
  if p.main == nil then
    p.main, p.mainLevel = false, 0
    for _, s in ipairs(p.skills) do
      if s[2] > p.mainLevel then p.main, p.mainLevel = s[1], s[2] end
    end
  end
  return p.main or nil, p.mainLevel
end
