-- likert_share_positive.lua -- the share of survey responses in the period
-- at or above `positive` (4 and 5 on a 1-5 scale: "agree" and "strongly
-- agree"), in per cent; with `compare_to`, the change in percentage points
-- since an earlier wave:
--
--   value = 100 x |{r : score(r) >= positive}| / |{r}|
return {
  name = "likert_share_positive",
  version = "1.0.0",
  unit = "%",
  description = "share of positive Likert responses, or its change since an earlier wave",
  params = {
    metric = { type = "string", help = "the survey item, one observation per response" },
    positive = { type = "number", default = 4, help = "lowest score that counts as positive" },
    compare_to = { type = "string", default = "", help = "earlier wave's period; empty: none" },
  },
  evaluate = function(ctx)
    local p = ctx.params
    local function share(period)
      local n = ctx:aggregate("count", p.metric, period)
      if n == 0 then return nil end
      local rows = ctx:query("SELECT count(*) AS n FROM observations WHERE case_id = ? AND metric = ?"
                             .. " AND in_period(period_start, period_end, ?) AND value >= ?",
                             ctx.case.id, p.metric, period or ctx.period, p.positive)
      return 100 * rows[1].n / n
    end
    local now = share(nil)
    if now == nil or p.compare_to == "" then return now end
    local before = share(p.compare_to)
    if before == nil then return nil end
    return now - before
  end,
}
