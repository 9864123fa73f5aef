// Package metrics owns Scout's Prometheus collectors: their names, labels and
// buckets live here in one place. A Registry is made once by the composition
// root and passed to the parts that record into it; there are no package
// globals. It imports nothing from Scout.
package metrics
