--[[
  The match index (includes/index.lua) of a key base, for tests and diagnostics: what it holds,
  or forget it as a library loaded again would (it is rebuilt from the keys by the next decision).

  Input:
    ARGV[1] routing key base, ARGV[2] now (ms)
    ARGV[3] 'info', 'forget' or 'check'

  Output: {'none', builds} when this copy of the library has no current index for the key base,
  else {'built', builds, free agents, waiting calls, Lua heap KB, repairs}; builds counts every index this
  copy built. 'check': where the index disagrees with the keys, one text each (none: it agrees).
]]
--- @include "prologue"
--- @include "keys"
--- @include "util"
--- @include "index"
--- @include "index-agents"
--- @include "index-calls"
--- @include "index-build"

if ARGV[3] == 'check' then return ix_check() end
if ARGV[3] == 'forget' then ix_forget() end
return ix_info()
