//go:build race

package grantsgov_test

// raceDetector is set in builds with the race detector, whose shadow
// memory would swamp a measurement of the reader's own.
const raceDetector = true
