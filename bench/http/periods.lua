-- wrk script: requests the profile JSON for 24 different periods in turn, so that the first
-- request of each period builds the document and the others are served from the cache.
local paths = {}
for from = 1996, 2019 do
  paths[#paths + 1] = string.format("/api/profile?a=KHM&b=CHN&from=%d", from)
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
