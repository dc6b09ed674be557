-- volunteer_value.lua -- the money value of volunteer work in a case:
-- volunteer hours observed in the period x a wage proxy per hour.
--
-- The wage is a proxy the municipality chooses (for example the hourly
-- cost of a municipal employee doing comparable work); state it in the
-- config so the figure can be traced.
return {
  name = "volunteer_value",
  version = "1.0.0",
  unit = "NOK",
  description = "volunteer hours x wage proxy per hour",
  params = { metric = "volunteer_hours", wage = 260.0 },
  evaluate = function(ctx)
    local hours = ctx:sum(ctx.params.metric)
    if hours == nil then return nil end
    return hours * ctx.params.wage
  end,
}
