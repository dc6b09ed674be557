-- cost_avoided.lua -- a cost the case meant to reduce (social assistance
-- paid), in money: the baseline cost, scaled to the period's length, less
-- the cost in the period:
--
--   value = cost(baseline) x days(period) / days(baseline) - cost(period)
--
-- Positive means cost avoided.  No value when either period has no data.
return {
  name = "cost_avoided",
  version = "1.0.0",
  description = "reduction of a cost metric against its baseline, in money",
  params = {
    metric = { type = "string", help = "the cost metric, e.g. social_assistance" },
    baseline = { type = "string", help = "baseline period, e.g. \"2017\"" },
  },
  evaluate = function(ctx)
    local p = ctx.params
    local base = ctx:aggregate("sum", p.metric, p.baseline)
    local now = ctx:sum(p.metric)
    if base == nil or now == nil then return nil end
    return base * ctx:period_days() / ctx:period_days(p.baseline) - now
  end,
}
