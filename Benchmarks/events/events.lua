-- wrk script: POST /api/v1/events with calls from the callers in LOOKUPS (program<TAB>phone<TAB>known), with the
-- telephony token in TOKEN. Each call arrives and, some requests later on the same wrk thread, hangs up
-- (`abandoned`), so the queue stays short and every arrival is routed at once to an available rep, whose offer the
-- hang-up withdraws. BATCH=1 sends one event per request; BATCH=50 sends 25 arrivals and 25 earlier calls'
-- hang-ups per request. RUN (a word) makes the event ids of one run its own.
--
-- A call is hung up only once its arrival has been answered: requests on a thread's connections run side by side,
-- and a hang-up that overtook its arrival would rightly be refused (its contact has not arrived yet).
--
-- Every answer is checked: a status other than 200, or a batch answer with a rejected event, is counted and
-- reported at the end (wrk itself only counts statuses other than 2xx/3xx), and the first few are printed.
local callers = {}
for line in io.lines(os.getenv("LOOKUPS")) do
  local program, phone = line:match("^(%S+)\t([^\t]+)\t")
  if program then table.insert(callers, { program, phone }) end
end

local batch = tonumber(os.getenv("BATCH") or "1")
local run = os.getenv("RUN") or "run"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json" }
  started = 0   -- calls this thread has started
  calls = {}    -- calls not hung up yet, by id
  waiting = {}  -- the ids of calls whose arrival was answered, oldest first: waiting[first] … waiting[last]
  first = 1
  last = 0
  bad = 0
  rejected = 0
  -- A hang-up goes out only for a call whose arrival left this thread long enough ago to have been answered.
  depth = 64 + batch
end

local function event(kind, call)
  local caller = callers[call.caller]
  return string.format(
    '{"eventId":"%s-%s","type":"%s","program":"%s","externalContactId":"%s","channel":"voice","from":"%s",' ..
    '"to":"+13125550100","at":"%s"}',
    call.id, kind, kind, caller[1], call.id, caller[2], os.date("!%Y-%m-%dT%H:%M:%SZ"))
end

local function arrival()
  started = started + 1
  local call = { id = run .. "-" .. id .. "-" .. started, caller = (id * 7919 + started * 104729) % #callers + 1 }
  calls[call.id] = call
  return event("arrived", call)
end

local function hangUp()
  local call = calls[waiting[first]]
  calls[call.id] = nil
  waiting[first] = nil
  first = first + 1
  return event("abandoned", call)
end

-- (`#waiting` cannot count them: hung-up calls leave holes at the front of the table.)
local function waitingCount() return last - first + 1 end

function request()
  local events = {}
  if batch == 1 then
    events[1] = (waitingCount() >= depth) and hangUp() or arrival()
  else
    for _ = 1, batch / 2 do events[#events + 1] = arrival() end
    for _ = 1, batch / 2 do
      if waitingCount() > depth then events[#events + 1] = hangUp() else events[#events + 1] = arrival() end
    end
  end
  local body = batch == 1 and events[1] or ("[" .. table.concat(events, ",") .. "]")
  return wrk.format("POST", "/api/v1/events", headers, body)
end

function response(status, headers, body)
  for call in body:gmatch('"eventId":"([^"]*)%-arrived","result":"accepted"') do
    if calls[call] then
      last = last + 1
      waiting[last] = call
    end
  end
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write(string.format("answer %d: %s\n", status, body)) end
  elseif batch > 1 and body:find('"rejected"', 1, true) then
    rejected = rejected + 1
    if rejected <= 3 then io.stderr:write("batch answer with a rejected event: " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local bad, rejected = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad")
    rejected = rejected + thread:get("rejected")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("Events per request: %d\n", batch))
  io.write(string.format("Events/sec: %.1f\n", summary.requests * batch / seconds))
  io.write(string.format("Answers other than 200: %d\n", bad))
  io.write(string.format("Batch answers with a rejected event: %d\n", rejected))
end
