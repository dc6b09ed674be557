-- a coroutine.wrap whose __close loops, its coroutine killed
return { evaluate = function(ctx)
  coroutine.wrap(function()
    local x <close> = setmetatable({}, { __close = function() while true do end end })
    while true do end
  end)()
  return 1
end }
