# Downloading, the lock and the files the tool keeps; and the run report.

## fetch.rs

writing_cache_index = writing the cache index
offline_not_cached = --offline, and the URL is not in the cache ({ $cache }): run once without --offline
http_client = cannot set up the HTTP client: { $detail }
http_timeout = no answer within the timeout ({ $detail })
http_request_failed = request failed: { $detail }
http_gave_up = { $reason }; gave up after { $attempts } attempts
http_not_modified_uncached = the server answered 304 Not Modified to a request without a cached copy
http_status = the server answered { $status }
http_body_too_long = the body is { $bytes } bytes, more than the limit of { $limit } (http.max_bytes)
http_checksum = the body's SHA-256 is { $sha256 }, the pipeline expects { $expected }
http_cache_store = cannot store the body in the cache: { $detail }
http_body_stalled = the body stopped arriving within the timeout after { $bytes } bytes
http_body_cut = the body was cut off after { $bytes } bytes: { $detail }
http_body_cut_of = the body was cut off after { $bytes } bytes of { $length }: { $detail }
http_body_over_limit = the body exceeds the limit of { $limit } bytes (http.max_bytes)
http_body_short = the body was cut off: { $bytes } bytes arrived, Content-Length said { $length }

## lock.rs

lock_opening = opening { $file }: { $detail }
lock_locking = locking { $file }: { $detail }

## report.rs

# Why a source stage runs, or that it does not.
stage_new = runs: no earlier result
stage_changed_input = runs: its input changed
stage_changed_spec = runs: its part of the pipeline file changed
stage_changed_tool = runs: the tool's version changed
stage_forced = runs: --force
stage_unchanged = skipped: unchanged
