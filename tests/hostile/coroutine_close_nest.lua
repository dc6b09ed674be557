-- 20,000 suspended coroutines, each closing the next from its __close:
-- Lua 5.4.4 does not count that C stack
return { evaluate = function(ctx)
  local cos = {}
  for i = 1, 20000 do
    local co = coroutine.create(function()
      local x <close> = setmetatable({}, { __close = function()
        if cos[i + 1] then assert(coroutine.close(cos[i + 1])) end end })
      coroutine.yield()
    end)
    coroutine.resume(co)
    cos[i] = co
  end
  assert(coroutine.close(cos[1]))
  return 1
end }
