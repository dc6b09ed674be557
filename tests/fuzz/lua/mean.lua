-- mean.lua -- the mean of a metric's observations in the period: the Lua
-- twin of the C plugin mean.so.  `module = "mean"; lang = "lua";`
return {
  name = "mean",
  version = "1.0.0",
  description = "mean of a metric's observations in the period",
  params = { metric = { type = "string", help = "the metric to aggregate" } },
  evaluate = function(ctx)
    return ctx:mean(ctx.params.metric)
  end,
}
