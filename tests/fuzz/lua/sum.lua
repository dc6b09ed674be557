-- sum.lua -- the sum of a metric's observations in the period: the Lua
-- twin of the C plugin sum.so, giving the same values (a test proves it).
-- `module = "sum"; lang = "lua";` picks this one.
return {
  name = "sum",
  version = "1.0.0",
  description = "sum of a metric's observations in the period",
  params = { metric = { type = "string", help = "the metric to aggregate" } },
  evaluate = function(ctx)
    return ctx:sum(ctx.params.metric)
  end,
}
