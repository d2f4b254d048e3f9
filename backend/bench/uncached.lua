-- wrk script: every request asks for a different URL (an ignored query
-- parameter), so the one-second page cache never answers: this measures
-- building each page from the database.
math.randomseed(os.time())
request = function()
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "uncached=" .. math.random(1, 2000000000))
end
