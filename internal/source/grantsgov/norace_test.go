//go:build !race

package grantsgov_test

const raceDetector = false
