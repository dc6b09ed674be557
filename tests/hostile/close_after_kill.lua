-- see tests/cli/test_sandbox.sh
return { evaluate = function(ctx)
  local y <close> = setmetatable({}, { __close = function() while true do end end })
  pcall(function() while true do end end)
  return 1
end }
