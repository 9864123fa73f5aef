package store

// NumberedPage is one page of a list read by offset, for clients that
// number their pages (CommonGrants), with the size of the whole list when
// Counted.
type NumberedPage[T any] struct {
	Items   []T
	Total   int
	Counted bool
}
