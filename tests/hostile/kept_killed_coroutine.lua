-- a coroutine killed in one case, closed in the next: its __close loops
local co
return { evaluate = function(ctx)
  if co then
    local ok, e = coroutine.close(co)
    if not ok then error(e, 0) end
    return 1
  end
  co = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function() while true do end end })
    while true do end
  end)
  coroutine.resume(co)
  return 1
end }
