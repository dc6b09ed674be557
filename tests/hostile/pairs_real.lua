-- pairs(string) must not hand out the table behind the proxy
return { evaluate = function(ctx)
  local _, real = pairs(string)
  if type(real) == "table" then pcall(function() real.upper = function() return "owned" end end) end
  return (string.upper("a") == "A" and ("a"):upper() == "A") and 1 or 0
end }
