-- ctx:query building rows at the memory limit, caught by pcall
local keep = {}
return { evaluate = function(ctx)
  pcall(function()
    while true do
      keep[#keep + 1] = ctx:query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' || i AS s FROM n")
    end
  end)
  keep = {}
  return 1
end }
