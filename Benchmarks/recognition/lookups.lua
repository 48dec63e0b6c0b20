-- wrk script: GET /api/v1/recognition for phone numbers read from LOOKUPS (program<TAB>phone<TAB>known),
-- cycling through them, with the bearer token from TOKEN.
local lookups = {}
local token = os.getenv("TOKEN")

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

for line in io.lines(os.getenv("LOOKUPS")) do
  local program, phone = line:match("^(%S+)\t([^\t]+)\t")
  if program then
    table.insert(lookups, "/api/v1/recognition?program=" .. program .. "&phone=" .. urlencode(phone))
  end
end

local counter = 0
local statuses = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  index = (id * 7919) % #lookups
end

function request()
  index = index % #lookups + 1
  return wrk.format("GET", lookups[index], { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, n in pairs(statuses) do bad = bad + n end
  io.write(string.format("non-200 responses: %d\n", bad))
end
