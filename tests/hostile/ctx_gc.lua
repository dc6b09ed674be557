-- see tests/cli/test_sandbox.sh
return { evaluate = function(ctx)
  local mt = getmetatable(ctx)
  mt.__gc = function() while true do end end
  return 1
end }
