-- wrk script: POSTs pre-signed MrSpeedy callbacks (one "signature<TAB>body" per line of $BENCH_BODIES), in turn.
local bodies, signatures = {}, {}
local index = 0

function init(args)
  local path = os.getenv("BENCH_BODIES")
  for line in io.lines(path) do
    local tab = line:find("\t", 1, true)
    signatures[#signatures + 1] = line:sub(1, tab - 1)
    bodies[#bodies + 1] = line:sub(tab + 1)
  end
  index = math.random(#bodies)
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-DV-Signature"] = signatures[index],
  }, bodies[index])
end
