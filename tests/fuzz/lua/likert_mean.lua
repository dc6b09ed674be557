-- likert_mean.lua -- survey scores on a Likert scale: the mean score of the
-- responses in the period, or with `compare_to` its change since an earlier
-- wave:
--
--   value = mean(period)                        (compare_to = "")
--   value = mean(period) - mean(compare_to)     (compare_to = "2017")
--
-- A score outside scale_min..scale_max is an error: it means the data does
-- not hold what the scale says.
return {
  name = "likert_mean",
  version = "1.0.0",
  unit = "score",
  description = "mean Likert score, or its change since an earlier survey wave",
  params = {
    metric = { type = "string", help = "the survey item, one observation per response" },
    scale_min = { type = "number", default = 1, help = "lowest score on the scale" },
    scale_max = { type = "number", default = 5, help = "highest score on the scale" },
    compare_to = { type = "string", default = "", help = "earlier wave's period; empty: none" },
  },
  evaluate = function(ctx)
    local p = ctx.params
    local function wave(period)
      local lo = ctx:aggregate("min", p.metric, period)
      if lo == nil then return nil end
      local hi = ctx:aggregate("max", p.metric, period)
      if lo < p.scale_min or hi > p.scale_max then
        error(string.format("%s has scores outside the scale %g..%g (%g..%g)",
                            p.metric, p.scale_min, p.scale_max, lo, hi), 0)
      end
      return ctx:aggregate("mean", p.metric, period)
    end
    local now = wave(nil)
    if now == nil or p.compare_to == "" then return now end
    local before = wave(p.compare_to)
    if before == nil then return nil end
    return now - before
  end,
}
