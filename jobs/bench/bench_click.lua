-- wrk script: authenticated clicks. Each thread walks its own share of the (reader, thing)
-- pairs, so every request is a new click (until the pairs run out). Reads seed.lua, written
-- by obole-bench-seed, from the path in SEED; THREADS must equal wrk's -t.
-- `thread_index` is a global on purpose: setup() sets it in each thread's own Lua state.
counter = 0
thread_index = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  dofile(os.getenv("SEED"))
  threads = tonumber(os.getenv("THREADS") or "2")
  -- Skip the pairs an earlier run (a warm-up) already clicked.
  offset = tonumber(os.getenv("OFFSET") or "0")
end

function request()
  local pair = offset + thread_index + counter * threads
  counter = counter + 1
  -- A diagonal walk: consecutive requests come from different readers and go to different
  -- things, as a crowd clicks around a site; round k gives reader r the thing (r + k) mod T,
  -- so every pair is a new click. (Walking one thing or one reader at a time would measure
  -- queueing on a single counter row instead.)
  local round = math.floor(pair / #tokens)
  local reader = (pair % #tokens) + 1
  local thing = things[((pair % #tokens) + round) % #things + 1]
  return wrk.format("POST", "/api/v1/things/" .. thing .. "/click",
    { ["Authorization"] = "Bearer " .. tokens[reader] }, "")
end
