-- wrk script of deploy/bench/control-plane.sh: POST /api/v1/node/progress round-robin over the nodes in
-- $BENCH_TOKENS (a line each: node token, phase), each report with a new figure (a report that changes only figures,
-- as a downloading target or an uploading source sends every couple of seconds). Prints one parseable line at the end.
local tokens = {}
local phases = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  local token, phase = line:match("^(%S+)%s+(%S+)$")
  if token then
    tokens[#tokens + 1] = token
    phases[#phases + 1] = phase
  end
end

local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

local counter = 0
function init(args)
  counter = (offset or 0) * 7919
end

function request()
  counter = counter + 1
  local node = (counter % #tokens) + 1
  local token = tokens[node]
  -- bytes_done stays far below the probe's markers (5e11 and up) and below bytes_total (1 TiB).
  local body = string.format(
    '{"phase":"%s","bytes_done":%d,"bytes_total":1099511627776,"rate_bytes_per_second":104857600}',
    phases[node], (counter * 4096) % 400000000000)
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"
  }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
