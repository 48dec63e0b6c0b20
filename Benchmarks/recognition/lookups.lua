-- wrk script: GET /api/v1/recognition for phone numbers read from LOOKUPS (program<TAB>phone<TAB>known),
-- cycling through them, with the bearer token from TOKEN.
--
-- wrk shares the machine's cores with the server, so it does as little as it can per request: every request is
-- written out once, in init, and there is no `response` callback (that would hand every response's headers and
-- body to Lua); wrk itself counts responses other than 2xx/3xx ("Non-2xx or 3xx responses").
local paths = {}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

for line in io.lines(os.getenv("LOOKUPS")) do
  local program, phone = line:match("^(%S+)\t([^\t]+)\t")
  if program then
    table.insert(paths, "/api/v1/recognition?program=" .. program .. "&phone=" .. urlencode(phone))
  end
end

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
  requests = {}
  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path, headers) end
  index = (id * 7919) % #requests
end

function request()
  index = index % #requests + 1
  return requests[index]
end
