-- ratio.lua -- numerator / denominator x factor, optionally annualised,
-- with DHIS2's missing data rules: the Lua twin of ratio.so (see its
-- header for the formula).  `module = "ratio"; lang = "lua";`
return {
  name = "ratio",
  version = "1.0.0",
  description = "numerator / denominator x factor, optionally annualised",
  params = {
    numerator = { type = "string", help = "metric on top" },
    denominator = { type = "string", help = "metric below" },
    factor = { type = "number", default = 1, help = "multiplier (100: per cent)" },
    annualise = { type = "string", default = "no", choices = { "no", "yes" },
                  help = "yes: scale to a year of 365 days" },
    missing = { type = "string", default = "skip_if_any_missing",
                choices = { "skip_if_any_missing", "skip_if_all_missing", "never_skip" },
                help = "missing data rule" },
    aggregate = { type = "string", default = "sum",
                  choices = { "sum", "mean", "count", "last", "min", "max" },
                  help = "how each metric is aggregated over the period" },
  },
  evaluate = function(ctx)
    local p = ctx.params
    local n = ctx:aggregate(p.aggregate, p.numerator)
    local d = ctx:aggregate(p.aggregate, p.denominator)
    local missing = (n == nil and 1 or 0) + (d == nil and 1 or 0)
    if p.missing == "skip_if_any_missing" and missing > 0 then return nil end
    if p.missing == "skip_if_all_missing" and missing == 2 then return nil end
    n, d = n or 0, d or 0
    if d == 0 then return nil end
    local factor = p.factor
    if p.annualise == "yes" then factor = factor * 365 / ctx:period_days() end
    return n / d * factor
  end,
}
