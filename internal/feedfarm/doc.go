// Package feedfarm is a synthetic feed server for load tests, demos and
// crash tests: N RSS feeds of M funding opportunities each, with realistic
// titles and HTML bodies (deadlines, amounts, funders), deterministic from a
// seed. Each feed answers conditional GETs (ETag, Last-Modified, 304), can
// rotate (K new items every T, the oldest dropping out), and the farm keeps
// the ground truth of every item it has served so that a harness can check
// that nothing was lost or duplicated. It can also mix in failing endpoints
// (500, 404, a request that hangs). Beside them it serves a short
// hand-written example: a feed, a page that links to it and a listing of
// the same calls, which the README's walkthrough adds, discovers and
// previews offline.
//
// Rotation is computed from the clock, not by a background goroutine: feed i
// shows generation g = floor((now - start + offset_i) / T), whose items are
// the indices g*K … g*K+M-1, newest first. An item's appearance time is
// therefore known exactly, which is what steady-state lag is measured from.
//
// It imports nothing of Scout but the standard library, so it can serve any
// feed reader.
package feedfarm
