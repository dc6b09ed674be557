-- partner_breadth.lua -- how broad the co-creation is: the number of
-- distinct partner types (municipality, civil society, social enterprise,
-- citizens, business, research) or of partners in the case.  With
-- active = "inputs" only partners that put something in during the period
-- count; with "all", every partner of the case.
return {
  name = "partner_breadth",
  version = "1.0.0",
  unit = "count",
  description = "number of partner types (or partners) active in the case",
  params = {
    count = { type = "string", default = "types", choices = { "types", "partners" },
              help = "count distinct partner types or partners" },
    active = { type = "string", default = "inputs", choices = { "inputs", "all" },
               help = "inputs: only partners with inputs in the period" },
  },
  evaluate = function(ctx)
    local p = ctx.params
    local what = p.count == "types" and "count(DISTINCT p.type)" or "count(DISTINCT p.name)"
    local rows
    if p.active == "all" then
      rows = ctx:query("SELECT " .. what .. " AS n FROM partners p WHERE p.case_id = ?", ctx.case.id)
    else
      rows = ctx:query("SELECT " .. what .. " AS n FROM partners p JOIN inputs i"
                       .. " ON i.case_id = p.case_id AND i.partner = p.name"
                       .. " WHERE p.case_id = ? AND in_period(i.period_start, i.period_end, ?)",
                       ctx.case.id, ctx.period)
    end
    return rows[1].n
  end,
}
