-- wrk script for scripts/load.sh: GET /api/v1/suggest?q=<prefix>&lang=<lang>, cycling through a
-- prefixes file (one "lang<TAB>url-encoded prefix" per line, as `cargo bench --bench suggest --
-- --write-corpus DIR` writes it). Each wrk thread starts at a different place in the file.
--
--   wrk -t2 -c32 -d30s --latency -s scripts/suggest.lua http://127.0.0.1:PORT -- prefixes.txt
--
-- At the end it prints one "summary:" line; responses with status >= 400 are counted by wrk
-- itself (summary.errors.status, "Non-2xx or 3xx responses") and reported there as non-2xx.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

function init(args)
   local file = args[1] or "prefixes.txt"
   paths = {}
   for line in io.lines(file) do
      local lang, prefix = line:match("^([^\t]+)\t(.+)$")
      if lang then
         paths[#paths + 1] = "/api/v1/suggest?q=" .. prefix .. "&lang=" .. lang
      end
   end
   if #paths == 0 then
      error("no prefixes in " .. file)
   end
   -- Spread the threads' starting points over the file (golden-ratio steps, for any thread count).
   local step = (thread_number - 1) * 0.6180339887
   position = math.floor((step - math.floor(step)) * #paths)
end

function request()
   position = position % #paths + 1
   return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      "summary: %d requests in %.1f s = %.0f req/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
         .. "max %.2f ms; non-2xx %d; socket errors connect %d, read %d, write %d, timeout %d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
