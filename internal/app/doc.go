// Package app is Scout's composition root: New builds every part in
// dependency order from a config.Config, Run serves until its context ends
// and then shuts the parts down in reverse order. Only cli imports it.
package app
