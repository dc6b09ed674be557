return {
  unit = "x", description = "every ctx function once",
  params = { metric = { type = "string", default = "m" } },
  evaluate = function(ctx)
    local s, n = ctx:sum(ctx.params.metric), ctx:count("m")
    local rows = ctx:query("SELECT value FROM observations WHERE case_id = ?", ctx.case.id)
    local t = {}
    for i = 1, #rows do t[#t + 1] = rows[i].value end
    if not s then return nil end
    return s + (n or 0) + #t + (ctx:mean("m") or 0) + string.len(ctx.period)
  end,
}
