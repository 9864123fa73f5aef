// Package config owns every setting of Scout: its environment variable, its
// default, its validation. Load reads SCOUT_* variables (and SCOUT_*_FILE for
// secrets) through a lookup function and reports every bad value at once.
//
// It imports nothing from Scout; only cli and app see Config.
package config
