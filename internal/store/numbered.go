package store

// NumberedPage is one page of a list read by offset, with the size of the
// whole list, for clients that number their pages (CommonGrants).
type NumberedPage[T any] struct {
	Items []T
	Total int
}
