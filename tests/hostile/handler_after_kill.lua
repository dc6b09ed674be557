-- xpcall's message handler loops, called with the kill's error
return { evaluate = function(ctx)
  xpcall(function() while true do end end, function(e) while true do end end)
  return 1
end }
