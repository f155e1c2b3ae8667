-- SPDX-License-Identifier: Apache-2.0
-- replay.lua - a wrk script that sends one signed request over and over: the file named by
-- REPLAY_REQUEST holds it as `idcctl sigv4 sign` prints it (request line, headers, blank
-- line, body). mockaws must run with --fixed-time at the request's X-Amz-Date.
local path = os.getenv("REPLAY_REQUEST")
local f = assert(io.open(path, "rb"), "cannot open REPLAY_REQUEST " .. tostring(path))
local text = f:read("*a")
f:close()
local head, body = text:match("^(.-)\n\n(.*)$")
local first = true
for line in head:gmatch("[^\n]+") do
    if first then
        local method, target = line:match("^(%S+) (.+) HTTP/1%.1$")
        wrk.method, wrk.path = method, target
        first = false
    else
        local name, value = line:match("^([^:]+):%s*(.*)$")
        wrk.headers[name] = value
    end
end
wrk.body = body

function done(summary, latency, requests)
    io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
    io.write(string.format("latency p50: %.3f ms, p99: %.3f ms\n",
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
    io.write(string.format("non-2xx responses: %d, socket errors: %d\n",
        summary.errors.status, summary.errors.connect + summary.errors.read +
        summary.errors.write + summary.errors.timeout))
end
