-- wrk script: kiosks issuing walk-in tickets through the gateway.
--   wrk -t1 -c32 -d15s -s bench/wrk/tickets.lua http://127.0.0.1:8000 -- <services,comma,separated> [pace_ms] [contact]
-- Each request takes the next service in turn. pace_ms > 0: every connection waits that long
-- after each answer (a steady, sub-saturation rate). contact = 1: the ticket carries a
-- notifications-simulator phone number, so messages flow. done() prints one JSON line.
local services = {}
local pace = 0
local contact = ""
local n = 0

function init(args)
  for id in string.gmatch(args[1] or "", "[^,]+") do
    table.insert(services, id)
  end
  pace = tonumber(args[2] or "0")
  if args[3] == "1" then
    contact = ',"contact":{"phone":"081100000001"}'
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = '{"service_id":"' .. services[(n % #services) + 1] .. '"' .. contact .. '}'
  return wrk.format("POST", "/api/v1/tickets", nil, body)
end

function delay()
  return pace
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
