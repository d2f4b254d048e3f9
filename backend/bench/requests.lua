-- wrk script for make bench: every request is a new URL, so no cache of any
-- kind (Flicket's, a proxy's, the database's query cache) can answer it.
--
--   wrk ... -s requests.lua http://host:port -- METHOD PATH [BODY]
--
-- In PATH and BODY, {a-b} becomes a random integer between a and b, {n} a
-- number unique to this request and {word:LIST} a random entry of that list
-- of search_words.lua (URL-encoded: spaces as +). GET paths also get a unique `_r` query
-- parameter (ignored by the API), so even the same random id twice is two
-- URLs.

local method, path, body = "GET", "/", nil
-- search_words.lua sits beside this script.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local words = dofile(here .. "search_words.lua")
local counter = 0
thread_no = 0 -- set per thread by setup()
local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  method = args[1] or "GET"
  path = args[2] or "/"
  body = args[3]
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  if method ~= "GET" then
    wrk.headers["Content-Type"] = "application/json"
  end
end

local function fill(s)
  s = s:gsub("{(%d+)-(%d+)}", function(a, b) return tostring(math.random(tonumber(a), tonumber(b))) end)
  s = s:gsub("{word:(%a+)}", function(list)
    local l = words[list] or error("no word list " .. list)
    return (l[math.random(#l)]:gsub(" ", "+"))
  end)
  return (s:gsub("{n}", (thread_no or 0) .. "x" .. counter))
end

function request()
  counter = counter + 1
  local p = fill(path)
  if method == "GET" then
    local sep = p:find("?", 1, true) and "&" or "?"
    p = p .. sep .. "_r=" .. (thread_no or 0) .. "x" .. counter
    return wrk.format("GET", p)
  end
  return wrk.format(method, p, nil, body and fill(body) or nil)
end
